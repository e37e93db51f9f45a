"""The grid drawn from its topology, coloured at the step the time slider picks; click an element for its series.

Substations are coloured by transformer loading, feeders by line loading, buses by their substation's lowest voltage.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QSplitter, QVBoxLayout, QWidget

from gui.grid_layout import bus_positions
from gui.plots import LOADING_CMAP, RUN_PEN, VOLTAGE_CMAP, curve
from gui.series import RunSeries
from simulator.grid.build import substation_of_buses
from simulator.grid.grid import Grid

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
        self.info = QLabel("Click a substation (square) or a bus for its series; a bus with homes opens the first "
                           "in the agent inspector.")  # fmt: skip
        self.info.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("time"))
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time_label)
        bar.addWidget(self.follow)
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
        self.grid: Grid | None = None
        self.selected_substation = 0
        self._lv_lines: list[pg.PlotDataItem] = []
        self._lv_buses: list[pg.ScatterPlotItem] = []
        self._substations: pg.ScatterPlotItem | None = None
        self._bus_households: dict[int, list[int]] = {}
        self._shown: dict[str, np.ndarray] = {}
        self._bus_ss = np.zeros(0, dtype=int)

    def set_grid(self, grid: Grid | None, series: RunSeries | None) -> None:
        """Draw `grid` (once) and colour it from `series`."""
        self.map.clear()
        self.grid, self.series = grid, series
        self._lv_lines, self._lv_buses, self._substations = [], [], None
        self._shown: dict[str, np.ndarray] = {}
        if grid is None or series is None:
            return
        net = grid.net
        pos = bus_positions(net)
        bus_ss = self._bus_ss = substation_of_buses(net)
        n_ss = len(grid.substation_names)
        from_pos = net.bus.index.get_indexer(net.line["from_bus"])
        to_pos = net.bus.index.get_indexer(net.line["to_bus"])
        line_ss = bus_ss[from_pos]
        mv = line_ss < 0
        self.map.addItem(self._segments(pos, from_pos[mv], to_pos[mv], MV_PEN))
        trafo_hv = net.bus.index.get_indexer(net.trafo["hv_bus"])
        trafo_lv = net.bus.index.get_indexer(net.trafo["lv_bus"])
        self.map.addItem(self._segments(pos, trafo_hv, trafo_lv, MV_PEN))
        for s in range(n_ss):
            own = line_ss == s
            item = self._segments(pos, from_pos[own], to_pos[own], pg.mkPen("#999", width=1.5))
            self.map.addItem(item)
            self._lv_lines.append(item)
            buses = np.flatnonzero(bus_ss == s)
            scatter = pg.ScatterPlotItem(pos=pos[buses], size=5, pen=None, data=buses, hoverable=True)
            scatter.sigClicked.connect(self._bus_clicked)
            self.map.addItem(scatter)
            self._lv_buses.append(scatter)
        self._substations = pg.ScatterPlotItem(
            pos=pos[trafo_lv], size=16, symbol="s", pen=pg.mkPen("k"), data=np.arange(n_ss), hoverable=True,
            tip=lambda x, y, data: grid.substation_names[int(data)],
        )  # fmt: skip
        self._substations.sigClicked.connect(self._substation_clicked)
        self.map.addItem(self._substations)
        bus_pos = net.bus.index.get_indexer(grid.household_bus)
        self._bus_households = {}
        for row, b in enumerate(bus_pos):
            self._bus_households.setdefault(int(b), []).append(row)
        self.select_substation(0)
        self.refresh()

    @staticmethod
    def _segments(pos: np.ndarray, a: np.ndarray, b: np.ndarray, pen: object) -> pg.PlotDataItem:
        xy = np.empty((2 * len(a), 2))
        xy[0::2], xy[1::2] = pos[a], pos[b]
        return pg.PlotDataItem(xy[:, 0], xy[:, 1], connect="pairs", pen=pen)

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
        if not len(points) or self.grid is None:
            return
        bus = int(points[0].data())
        ss = int(self._bus_ss[bus])
        if ss >= 0:
            self.select_substation(ss)
        homes = self._bus_households.get(bus, [])
        self.info.setText(f"bus {self.grid.net.bus.index[bus]}: {len(homes)} household(s) {homes[:10]}")
        if homes:
            self.household_selected.emit(homes[0])
