"""Small pyqtgraph helpers shared by the views: time plots with date axes, colours, PNG export."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import CSVExporter, ImageExporter

pg.setConfigOptions(antialias=False, background="w", foreground="k")

RUN_PEN = pg.mkPen("#1f77b4", width=2)
BASELINE_PEN = pg.mkPen("#7f7f7f", width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)
PREVIOUS_PEN = pg.mkPen("#9ecae1", width=1.5)  # the previous run, pale blue under the current one
LIMIT_PEN = pg.mkPen("#d62728", width=1, style=pg.QtCore.Qt.PenStyle.DotLine)
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
LOADING_CMAP = pg.colormap.get("CET-L8")  # dark blue → yellow
VOLTAGE_CMAP = pg.colormap.get("CET-D1")  # blue ↔ red, diverging about nominal


def time_plot(layout: pg.GraphicsLayout, title: str, units: str, row: int, col: int) -> pg.PlotItem:
    """A plot with a date axis (times as local-clock epoch seconds), peak downsampling and clipping."""
    plot = layout.addPlot(row=row, col=col, title=title, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    if units:
        plot.setLabel("left", QUANTITY.get(units, ""), units=units)
    plot.setLabel("bottom", "local time")
    plot.setDownsampling(auto=True, mode="peak")
    plot.setClipToView(True)
    plot.showGrid(x=True, y=True, alpha=0.2)
    legend_below(plot)
    return plot


LEGEND_ROW = 4  # PlotItem's layout: 0 title, 1 top axis, 2 view box, 3 bottom axis; the legend goes under


class RowLegend(pg.LegendItem):
    """A legend laid out in its plot's grid under the bottom axis, never over the data (it sizes its row)."""

    def __init__(self, columns: int) -> None:
        super().__init__(colCount=columns, labelTextSize="8pt", frame=False, horSpacing=12)
        self.layout.setContentsMargins(0, 0, 0, 0)

    def updateSize(self) -> None:  # noqa: N802 — pyqtgraph's name
        """Fit the row to the entries (none: no row)."""
        super().updateSize()
        grid, preferred = self.layout, pg.QtCore.Qt.SizeHint.PreferredSize
        rows = [[grid.itemAt(r, c) for c in range(grid.columnCount())] for r in range(grid.rowCount())]
        heights = [max((i.effectiveSizeHint(preferred).height() for i in r if i is not None), default=0) for r in rows]
        height = sum(heights) + 2 if self.items else 0.0
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.setMinimumWidth(0)
        self.setVisible(bool(self.items))


def legend_below(plot: pg.PlotItem, columns: int = 3) -> pg.LegendItem:
    """Give `plot` a legend in a row of its own under the plot: curves made with `name=` join it."""
    legend = RowLegend(columns)
    plot.layout.addItem(legend, LEGEND_ROW, 1)
    plot.layout.setRowStretchFactor(LEGEND_ROW, 0)
    plot.legend = legend  # PlotItem.addItem puts named items here
    legend.updateSize()
    return legend


QUANTITY = {"W": "power"}


def date_label(plot: pg.PlotItem, start: object) -> None:
    """Name the month and year under a date axis (its ticks show days and hours)."""
    plot.setLabel("bottom", f"{start:%B %Y}, local time")


def curve(plot: pg.PlotItem, name: str, pen: object, **kwargs: object) -> pg.PlotDataItem:
    """A curve created once and later updated with `setData`."""
    item = plot.plot([], [], name=name, pen=pen, **kwargs)
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    return item


def empty_note(plot: pg.PlotItem, text: str) -> pg.TextItem:
    """A message shown in the middle of a plot that has no data to show."""
    note = pg.TextItem(text, color="#555", anchor=(0.5, 0.5))
    note.setZValue(10)
    plot.addItem(note, ignoreBounds=True)
    plot.getViewBox().sigResized.connect(lambda vb: note.setPos(vb.viewRect().center()))
    plot.getViewBox().sigRangeChanged.connect(lambda vb, *_: note.setPos(vb.viewRect().center()))
    return note


def export_png(item: pg.GraphicsItem | pg.GraphicsScene, path: str | Path, width: int = 1200) -> Path:
    """Write a plot (or a whole layout's scene) to PNG."""
    exporter = ImageExporter(item)
    exporter.parameters()["width"] = width
    exporter.export(str(path))
    return Path(path)


def export_csv(item: pg.PlotItem, path: str | Path) -> Path:
    """Write a plot's curves as CSV (x and y of each curve, side by side)."""
    CSVExporter(item).export(str(path))
    return Path(path)


def table_csv(table: object, path: str | Path) -> Path:
    """Write what a QTableWidget shows (header, row labels if visible, cells) as CSV."""
    import csv

    rows = table.rowCount()
    labels = table.verticalHeader().isVisible()
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    with Path(path).open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(([""] if labels else []) + header)
        for r in range(rows):
            cells = [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            out.writerow(([table.verticalHeaderItem(r).text()] if labels else []) + cells)
    return Path(path)
