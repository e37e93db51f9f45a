"""Exports write a new subfolder of the folder chosen and ask before replacing anything.

Pressing Choose in the folder dialog on a project folder used to replace that whole folder
(sources, `.git`, `.venv` gone); File → Export results replaced `<folder>/<scenario name>` silently.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from .conftest import run_to_end


def _project(tmp_path):
    """A folder that looks like somebody's project, with a folder named like the scenario inside."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "notes.txt").write_text("mine")
    (root / "quickstart").mkdir()
    (root / "quickstart" / "thesis.tex").write_text("mine too")
    return root


def _files(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _choose(monkeypatch, folder):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))


def test_compare_export_writes_a_new_subfolder_and_keeps_the_chosen_folder(qtbot, main_window, tmp_path, monkeypatch):
    root = _project(tmp_path)
    before = _files(root)
    main_window.panel.editor.set_value("horizon_days", "1")
    view = main_window.compare
    view.set_ticked(["flat", "tou"])
    with qtbot.waitSignal(view.compared, timeout=120_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    _choose(monkeypatch, root)
    asked = []
    view.ask_existing = lambda folder, replaceable: asked.append((folder, replaceable)) or "new"
    qtbot.mouseClick(view.export_html, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.export_html, Qt.MouseButton.LeftButton)  # again: the first report exists now
    after = _files(root)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing of the user's touched
    first, second = root / "quickstart-comparison", root / "quickstart-comparison-2"
    assert (first / "report.html").is_file() and (second / "report.html").is_file()
    assert asked == [(first, True)]


def test_an_existing_folder_not_written_by_cityflex_is_never_replaced(qtbot, main_window, tmp_path, monkeypatch):
    root = _project(tmp_path)
    before = _files(root)
    run_to_end(qtbot, main_window)
    _choose(monkeypatch, root)
    asked = []
    main_window.ask_existing = lambda folder, replaceable: asked.append((folder, replaceable)) or "replace"
    main_window.actions.export_results.trigger()  # File → Export results…
    assert asked == [(root / "quickstart", False)]  # asked, and replacing was not offered
    assert _files(root) == before  # "replace" on a folder cityflex did not write does nothing
    main_window.ask_existing = lambda folder, replaceable: "new"
    main_window.actions.export_results.trigger()
    assert (root / "quickstart-2" / "kpis.json").is_file()
    assert {k: v for k, v in _files(root).items() if k in before} == before


def test_replacing_a_previous_export_is_asked_first(qtbot, main_window, tmp_path, monkeypatch):
    run_to_end(qtbot, main_window)
    tmp_path = tmp_path / "exports"
    first = main_window.export_results(tmp_path)
    marker = first / "kpis.json"
    stamp = marker.stat().st_mtime_ns
    main_window.ask_existing = lambda folder, replaceable: "cancel"
    assert main_window.export_results(tmp_path) is None
    assert marker.stat().st_mtime_ns == stamp
    main_window.ask_existing = lambda folder, replaceable: "replace"
    assert main_window.export_results(tmp_path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]


def test_plot_exports_go_to_a_new_subfolder(main_window, tmp_path):
    (tmp_path / "district_load.png").write_bytes(b"mine")
    written = main_window.export_plots(tmp_path)
    assert (tmp_path / "district_load.png").read_bytes() == b"mine"
    assert all(p.parent == tmp_path / "cityflex-plots" for p in written)
    names = {p.name for p in written}
    assert {"district_load.png", "district_load.csv", "kpis.csv", "events.csv"} <= names
