"""Opening a finished run, comparing tariff options, exporting, and what the window remembers."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.kpi_panel import format_number
from gui.main_window import MainWindow
from simulator.results.run_result import write_results

from .conftest import QUICKSTART, same_numbers


def test_open_a_results_directory_without_recomputing(qtbot, main_window, quickstart_result, tmp_path):
    out = write_results(quickstart_result, tmp_path / "qs")
    assert main_window.open_path(out)
    assert same_numbers(main_window.kpis.kpi_values(), quickstart_result.kpis)
    assert main_window.live.load.getData()[0].size == quickstart_result.scenario.n_steps
    main_window.tabs.setCurrentWidget(main_window.grid_view)
    qtbot.waitUntil(lambda: main_window.grid_view.model is not None, timeout=60_000)  # laid out off the GUI thread
    main_window.grid_view.household_selected.emit(5)
    assert main_window.inspector.record["row"] == 5
    assert "no market hub" in main_window.inspector.text.toPlainText()
    out = main_window.export_results(tmp_path)
    assert out == tmp_path / quickstart_result.scenario.name and (out / "kpis.json").is_file()
    assert {p.name for p in main_window.export_plots(tmp_path)} >= {"district_load.png", "voltage_band.png"}


def test_compare_offers_flat_tou_and_cpp_and_uses_the_cli_engine(qtbot, main_window, tmp_path):
    from simulator.compare.engine import compare

    main_window.panel.editor.set_value("horizon_days", "1")
    view = main_window.compare
    offered = [view.options.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.options.count())]
    assert offered[:4] == ["flat", "tou", "tou3", "cpp"] and "bi_horario" in offered
    assert view.ticked() == ["flat", "tou", "cpp"]
    view.set_ticked(["flat", "cpp"])
    with qtbot.waitSignal(view.compared, timeout=120_000) as done:
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    comparison = done.args[0]
    assert comparison.options == ["flat", "cpp"]
    cli = compare(main_window.panel.editor.scenario(), ["flat", "cpp"])
    assert comparison.table.equals(cli.table)  # the same engine and the same numbers as `main.py compare`
    shown = view.shown_table()
    peak = next(row for row in shown if row[-1] == "peak_reduction_pct")
    assert peak[0] == "Cut in the district's peak demand"  # the plain name, as report.html says it
    assert peak[3] == format_number(cli.table.loc["peak_reduction_pct", "cpp"])  # name and value in one row
    headers = [view.table.horizontalHeaderItem(i).text() for i in range(view.table.columnCount())]
    assert headers == ["unit", "flat", "cpp", "Δ cpp", "code name"]
    report = view.export_report(tmp_path)
    assert report.parent.parent == tmp_path and "Cut in the district" in report.read_text(encoding="utf-8")
    assert (report.parent / "comparison.csv").is_file()
    assert all(p.is_file() for p in view.export_pngs(tmp_path))


def test_a_bad_file_shows_the_message_in_the_window(main_window, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nhorizon_days = -1\n', encoding="utf-8")
    assert not main_window.open_path(bad)
    assert main_window.error_banner.isVisible()
    assert "horizon_days" in main_window.error_banner.text()


def test_layout_and_recent_files_are_remembered(qtbot, settings):
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.open_path(QUICKSTART)
    first.tabs.setCurrentIndex(3)
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert second.tabs.currentIndex() == 3
    assert str(QUICKSTART.resolve()) in [a.text() for a in second.actions.recent_menu.actions()]
    second.close()


def test_shortcuts():
    from PySide6.QtGui import QKeySequence

    from gui.actions import SPEEDS

    assert "as fast as possible" in SPEEDS
    assert QKeySequence("F5").toString() == "F5"
