"""Readable views: no legend over a curve, KPIs under the names the report uses, export folder names."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from hypothesis import example, given
from hypothesis import strategies as st

from gui.export_target import safe_name
from simulator.results.output_dir import safe_name as engine_safe_name

from .conftest import run_to_end


def _plots_with_legends(window):
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem) and item.legend is not None and item.legend.items:
                yield view, item


def test_no_legend_covers_a_curve_in_any_view(qtbot, main_window):
    run_to_end(qtbot, main_window)
    checked = 0
    for i in range(main_window.tabs.count()):
        main_window.tabs.setCurrentIndex(i)
        qtbot.waitUntil(lambda: main_window.tabs.currentWidget().isVisible())
        main_window.frame(force=True)
        for view, plot in _plots_with_legends(main_window):
            if not view.isVisible() or plot.legend.width() == 0:
                continue
            qtbot.waitUntil(lambda plot=plot: plot.legend.sceneBoundingRect().height() > 0)
            legend, box = plot.legend.sceneBoundingRect(), plot.getViewBox().sceneBoundingRect()
            assert not legend.intersects(box), f"{plot.titleLabel.text}: legend over the data area"
            assert plot.sceneBoundingRect().contains(legend), f"{plot.titleLabel.text}: legend cut off"
            for curve in plot.listDataItems():
                x, y = curve.getData()
                if x is None or not len(x):
                    continue
                keep = np.isfinite(x) & np.isfinite(y)
                vb = plot.getViewBox()
                points = [vb.mapViewToScene(pg.Point(a, b)) for a, b in zip(x[keep], y[keep], strict=True)]
                assert not any(legend.contains(p) for p in points[:: max(1, len(points) // 200)])
            checked += 1
    assert checked >= 6  # the live views' plots, the grid detail, the inspector's power and plan plots


def test_the_kpi_table_says_the_plain_name_and_keeps_the_code_name(qtbot, main_window):
    result = run_to_end(qtbot, main_window)
    table = main_window.kpis.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    rows = {table.item(r, headers.index("code name")).text(): r for r in range(table.rowCount())}
    row = rows["peak_reduction_pct"]
    assert table.item(row, 0).text() == "Cut in the district's peak demand"  # as report.html names it
    assert "peak_reduction_pct" in table.item(row, 0).toolTip()
    assert main_window.kpis.kpi_values()["peak_reduction_pct"] == result.kpis["peak_reduction_pct"]


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("/\\. _-\x00"), max_size=200))
@example("my district (2030)")
@example("../..")
@example("_x_")
def test_the_guis_folder_names_are_the_engines_made_stricter(name):
    cleaned = safe_name(name)
    assert re.fullmatch(r"[\w.-]+", cleaned) and not cleaned.startswith((".", "_")) and not cleaned.endswith(".")
    assert (Path("/p") / cleaned).parent == Path("/p")
    engine = engine_safe_name(name)
    if re.fullmatch(r"[\w-]+(\.[\w-]+)*", engine) and not engine.startswith("_") and not engine.endswith("_"):
        assert cleaned == engine  # one rule: where the engine's name is already plain, the GUI keeps it
