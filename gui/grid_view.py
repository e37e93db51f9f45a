"""The grid drawn from its topology, coloured at the step the time slider picks; click an element for its series.

Substations are coloured by transformer loading, feeders by line loading, buses by their substation's lowest voltage.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QSlider, QSplitter, QVBoxLayout, QWidget

from gui.plots import LOADING_CMAP, RUN_PEN, VOLTAGE_CMAP, curve
from gui.series import RunSeries
from simulator.grid.drawing import GridDrawing

MV_PEN = pg.mkPen("#444", width=2)


LEVELS = 32  # colours are quantised so an item is restyled only when its colour visibly changes
LOADING_BRUSHES = [pg.mkBrush(c) for c in LOADING_CMAP.getLookupTable(nPts=LEVELS, mode="qcolor")]
LOADING_PENS = [pg.mkPen(c, width=2) for c in LOADING_CMAP.getLookupTable(nPts=LEVELS, mode="qcolor")]
VOLTAGE_BRUSHES = [pg.mkBrush(c) for c in VOLTAGE_CMAP.getLookupTable(nPts=LEVELS, mode="qcolor")]


def _level(fraction: np.ndarray) -> np.ndarray:
    """Fractions 0…1 (NaN as 0) as palette indices."""
    return np.clip(np.nan_to_num(fraction) * (LEVELS - 1), 0, LEVELS - 1).round().astype(int)


class GridView(QWidget):
    """Network map with a time slider and the series of the element last clicked."""

    household_selected = Signal(int)  # household row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map = pg.PlotWidget(title="Network: substations by loading, feeders by line loading, buses by voltage")
        self.map.setAspectLocked(True)
        self.map.hideAxis("left")
        self.map.hideAxis("bottom")
        self.detail = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.detail.addLegend(offset=(5, 5))
        self.detail.setDownsampling(auto=True, mode="peak")
        self.detail.setClipToView(True)
        self.detail_loading = curve(self.detail.getPlotItem(), "transformer loading [%]", RUN_PEN)
        self.detail_voltage = curve(self.detail.getPlotItem(), "lowest voltage [% of nominal]", pg.mkPen("#2ca02c"))
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728"))
        self.detail.addItem(self.cursor)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._show_step)
        self.follow = QCheckBox("follow the run")
        self.follow.setChecked(True)
        self.time_label = QLabel("—")
        self.search = QLineEdit()
        self.search.setPlaceholderText("find a substation: name, then Enter")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(lambda: self.find_substation())
        self.info = QLabel("Click a substation (square) or a bus for its series; a bus with homes opens the first "
                           "in the agent inspector.")  # fmt: skip
        self.info.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("time"))
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time_label)
        bar.addWidget(self.follow)
        bar.addWidget(self.search)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.map)
        split.addWidget(self.detail)
        split.setSizes([500, 180])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addLayout(bar)
        layout.addWidget(self.info)
        self.series: RunSeries | None = None
        self.drawing: GridDrawing | None = None
        self.selected_substation = 0
        self._lv_lines: list[pg.PlotDataItem] = []
        self._lv_buses: list[pg.ScatterPlotItem] = []
        self._substations: pg.ScatterPlotItem | None = None
        self._bus_households: dict[int, list[int]] = {}
        self._shown: dict[str, np.ndarray] = {}
        self._bus_ss = np.zeros(0, dtype=int)

    def set_grid(self, drawing: GridDrawing | None, series: RunSeries | None) -> None:
        """Draw the grid (once; `drawing` is laid out off the GUI thread) and colour it from `series`."""
        self.map.clear()
        self.drawing, self.series = drawing, series
        self._lv_lines, self._lv_buses, self._substations = [], [], None
        self._shown = {}
        if drawing is None or series is None:
            return
        d, pos = drawing, drawing.bus_xy
        bus_ss = self._bus_ss = d.bus_substation
        n_ss = len(d.substation_names)
        mv = d.line_substation < 0
        self.map.addItem(self._segments(pos, d.line_from[mv], d.line_to[mv], MV_PEN))
        self.map.addItem(self._segments(pos, d.trafo_hv, d.trafo_lv, MV_PEN))
        order = np.argsort(d.line_substation, kind="stable")
        bounds = np.searchsorted(d.line_substation[order], np.arange(n_ss + 1))
        for s in range(n_ss):
            own = order[bounds[s] : bounds[s + 1]]
            item = self._segments(pos, d.line_from[own], d.line_to[own], pg.mkPen("#999", width=1.5))
            self.map.addItem(item)
            self._lv_lines.append(item)
        bus_order = np.argsort(bus_ss, kind="stable")
        bus_bounds = np.searchsorted(bus_ss[bus_order], np.arange(n_ss + 1))
        for s in range(n_ss):  # one item per substation: recolouring it is one brush, not one per bus
            buses = bus_order[bus_bounds[s] : bus_bounds[s + 1]]
            scatter = pg.ScatterPlotItem(pos=pos[buses], size=5, pen=None, data=buses, hoverable=True)
            scatter.sigClicked.connect(self._bus_clicked)
            self.map.addItem(scatter)
            self._lv_buses.append(scatter)
        names = d.substation_names
        self._substations = pg.ScatterPlotItem(
            pos=pos[d.trafo_lv], size=14, symbol="s", pen=pg.mkPen("k"), data=np.arange(n_ss), hoverable=True,
            tip=lambda x, y, data: names[int(data)],
        )  # fmt: skip
        self._substations.sigClicked.connect(self._substation_clicked)
        self.map.addItem(self._substations)
        self._bus_households = {}
        for row, b in enumerate(d.household_bus):
            self._bus_households.setdefault(int(b), []).append(row)
        self.search.setPlaceholderText(f"find a substation ({n_ss}): name, then Enter")
        self.select_substation(0)
        self.refresh()

    @staticmethod
    def _segments(pos: np.ndarray, a: np.ndarray, b: np.ndarray, pen: object) -> pg.PlotDataItem:
        xy = np.empty((2 * len(a), 2))
        xy[0::2], xy[1::2] = pos[a], pos[b]
        return pg.PlotDataItem(xy[:, 0], xy[:, 1], connect="pairs", pen=pen)

    def set_series(self, series: RunSeries) -> None:
        """Colour the drawn grid from another source of the same run (a finished run's tables)."""
        self.series, self._shown = series, {}
        self.refresh()

    def find_substation(self, text: str | None = None) -> int | None:
        """Select the substation whose name is (or starts with) `text`, and zoom the map to it."""
        text = (self.search.text() if text is None else text).strip()
        if self.drawing is None or not text:
            return None
        names = self.drawing.substation_names
        hits = [i for i, n in enumerate(names) if n == text] or [i for i, n in enumerate(names) if n.startswith(text)]
        if not hits:
            self.info.setText(f"no substation named {text!r}")
            return None
        s = hits[0]
        self.select_substation(s)
        own = np.flatnonzero(self.drawing.bus_substation == s)
        xy = self.drawing.bus_xy[np.append(own, self.drawing.trafo_lv[s])]
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        pad = 0.1 * max(x1 - x0, y1 - y0, 1e-6)
        self.map.setRange(xRange=(x0 - pad, x1 + pad), yRange=(y0 - pad, y1 + pad))
        return s

    def refresh(self) -> None:
        """Follow the run's latest step (if asked) and recolour."""
        if self.series is None:
            return
        n = self.series.n
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(n - 1, 0))
        if self.follow.isChecked():
            self.slider.setValue(max(n - 1, 0))
        self.slider.blockSignals(False)
        self._show_step(self.slider.value())
        self._update_detail()

    def _show_step(self, k: int) -> None:
        s = self.series
        if s is None or self._substations is None or s.n == 0:
            return
        k = min(k, s.n - 1)
        self.time_label.setText(str(np.datetime64(int(s.times_s[k]), "s")).replace("T", " ")[:16])
        loading = _level(s.substation("loading_pct")[k] / 120.0)
        if not np.array_equal(loading, self._shown.get("loading")):
            self._substations.setBrush([LOADING_BRUSHES[i] for i in loading])
        band = s.scenario.dso.voltage_band_pct / 100
        voltage = _level((np.nan_to_num(s.substation("vm_min_pu")[k], nan=1.0) - (1 - band)) / (2 * band))
        lines = _level(s.substation("line_loading_max_pct")[k] / 120.0)
        old_v, old_l = self._shown.get("voltage"), self._shown.get("lines")
        for j, (item, scatter) in enumerate(zip(self._lv_lines, self._lv_buses, strict=True)):
            if old_v is None or old_v[j] != voltage[j]:
                scatter.setBrush(VOLTAGE_BRUSHES[voltage[j]])
            if old_l is None or old_l[j] != lines[j]:
                item.setPen(LOADING_PENS[lines[j]])
        self._shown = {"loading": loading, "voltage": voltage, "lines": lines}
        self.cursor.setValue(s.times_s[k])

    def select_substation(self, s: int) -> None:
        """Show substation `s`'s series below the map."""
        self.selected_substation = s
        self._update_detail()

    def show_step(self, step: int) -> None:
        """Jump the slider to `step` (and stop following the run)."""
        self.follow.setChecked(False)
        self.slider.setValue(step)

    def _update_detail(self) -> None:
        s = self.series
        if s is None or not s.substation_names:
            return
        n, j = s.n, self.selected_substation
        self.detail.setTitle(f"substation {s.substation_names[j]}")
        self.detail_loading.setData(s.times_s[:n], s.substation("loading_pct")[:n, j], connect="finite")
        self.detail_voltage.setData(s.times_s[:n], 100 * s.substation("vm_min_pu")[:n, j], connect="finite")

    def _substation_clicked(self, _item: object, points: list, *_: object) -> None:
        if len(points):
            self.select_substation(int(points[0].data()))

    def _bus_clicked(self, _item: object, points: list, *_: object) -> None:
        if not len(points) or self.drawing is None:
            return
        bus = int(points[0].data())
        ss = int(self._bus_ss[bus])
        if ss >= 0:
            self.select_substation(ss)
        homes = self._bus_households.get(bus, [])
        self.info.setText(f"bus {self.drawing.bus_label[bus]}: {len(homes)} household(s) {homes[:10]}")
        if homes:
            self.household_selected.emit(homes[0])
