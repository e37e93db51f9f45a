"""The grid drawn from its topology, coloured at the step the time slider picks; click an element for its series.

The map shows one marker per substation, per MV feeder or per primary substation (the "show" selector),
coloured by transformer loading, line loading or lowest voltage; a group's marker is sized by its households
and coloured by its worst member. Its data (`gui.grid_map.MapModel`) is prepared off the GUI thread; the view
draws it with a few batched items: one curve for the MV network, one curve per colour for LV lines, one
scatter for the LV buses and one for the markers. Groups follow the disclosure rule (`gui.group_disclosure`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.grid_map import LEVELS, QUANTITIES, MapModel, worst_of_groups
from gui.group_disclosure import WITHHELD
from gui.plots import LOADING_CMAP, RUN_PEN, VOLTAGE_CMAP, curve, legend_below
from gui.series import RunSeries

MV_PEN = pg.mkPen("#666", width=1.5)
BUS_BRUSH = pg.mkBrush("#777")
NO_DATA_BRUSH = pg.mkBrush("#ffffff")
WITHHELD_BRUSH = QBrush(QColor("#999"), Qt.BrushStyle.Dense4Pattern)
WITHHELD_PEN = pg.mkPen("#bbb", width=1)

STEPS = 32  # colours are quantised so a marker is restyled only when its colour visibly changes
LOADING_BRUSHES = [pg.mkBrush(c) for c in LOADING_CMAP.getLookupTable(nPts=STEPS, mode="qcolor")]
LOADING_PENS = [pg.mkPen(c, width=2) for c in LOADING_CMAP.getLookupTable(nPts=STEPS, mode="qcolor")]
VOLTAGE_BRUSHES = [pg.mkBrush(c) for c in VOLTAGE_CMAP.getLookupTable(nPts=STEPS, mode="qcolor")]
VOLTAGE_PENS = [pg.mkPen(c, width=2) for c in VOLTAGE_CMAP.getLookupTable(nPts=STEPS, mode="qcolor")]
LOADING_FULL_SCALE_PCT = 120.0
MAX_LABELS = 60  # groups named on the map (more would cover each other)
AGGREGATE_ABOVE = 30  # a map of more substations opens with one marker per MV feeder


def colour_steps(values: np.ndarray, quantity: str, band_pu: float) -> np.ndarray:
    """Palette index 0…STEPS-1 of each value, -1 where it is NaN (no data, or withheld)."""
    v = np.asarray(values, dtype=float)
    frac = (v - (1 - band_pu)) / (2 * band_pu) if quantity == "voltage" else v / LOADING_FULL_SCALE_PCT
    out = np.clip(np.nan_to_num(frac) * (STEPS - 1), 0, STEPS - 1).round().astype(int)
    out[np.isnan(v)] = -1
    return out


def _format(value: float, quantity: str) -> str:
    if np.isnan(value):
        return "no value"
    return f"{value:.3f} p.u." if quantity == "voltage" else f"{value:.0f} %"


class GridView(QWidget):
    """Network map with a time slider and the series of the element last clicked."""

    household_selected = Signal(int)  # household row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map = pg.PlotWidget(title="Network map")
        self.map.setAspectLocked(True)
        self.map.hideAxis("left")
        self.map.hideAxis("bottom")
        self.detail = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.detail.setDownsampling(auto=True, mode="peak")
        self.detail.setClipToView(True)
        legend_below(self.detail.getPlotItem(), columns=2)
        self.detail_loading = curve(self.detail.getPlotItem(), "transformer loading [%]", RUN_PEN)
        self.detail_voltage = curve(self.detail.getPlotItem(), "lowest voltage [% of nominal]", pg.mkPen("#2ca02c"))
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#d62728"))
        self.detail.addItem(self.cursor)
        self.level = QComboBox()
        for key, label in LEVELS.items():
            self.level.addItem(label, key)
        self.level.setToolTip("One marker per substation, or per group of substations: its worst member's colour")
        self.level.currentIndexChanged.connect(lambda _: self._draw_markers())
        self.level.activated.connect(lambda _: setattr(self, "_level_chosen", True))  # the user's own choice
        self._level_chosen = False
        self.quantity = QComboBox()
        for key, (_, label, _) in QUANTITIES.items():
            self.quantity.addItem(label, key)
        self.quantity.currentIndexChanged.connect(lambda _: self._recolour(force=True))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.valueChanged.connect(self._show_step)
        self.follow = QCheckBox("follow the run")
        self.follow.setChecked(True)
        self.time_label = QLabel("—")
        self.search = QLineEdit()
        self.search.setPlaceholderText("find a substation or feeder: name, then Enter")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.search.returnPressed.connect(lambda: self.find_substation())
        self.scale = QLabel()
        self.scale.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        self.info = QLabel("Click a marker for its series (a group's marker zooms into its substations); a bus "
                           "with homes opens the first consenting one in the agent inspector.")  # fmt: skip
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel("show"))
        top.addWidget(self.level)
        top.addWidget(QLabel("coloured by"))
        top.addWidget(self.quantity)
        top.addWidget(self.scale, 1)
        top.addWidget(self.search)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("time"))
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time_label)
        bar.addWidget(self.follow)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.map)
        split.addWidget(self.detail)
        split.setSizes([500, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bar)
        layout.addWidget(self.info)
        self.series: RunSeries | None = None
        self.model: MapModel | None = None
        self.selected: tuple[str, int] = ("substation", 0)
        self._mv = pg.PlotCurveItem(pen=MV_PEN, connect="pairs")
        self._lv: list[pg.PlotCurveItem] = []  # one per colour in use (index STEPS: no value)
        self._buses = pg.ScatterPlotItem(size=4, pen=None, brush=BUS_BRUSH, hoverable=True)
        self._buses.sigClicked.connect(self._bus_clicked)
        self._markers = pg.ScatterPlotItem(hoverable=True, tip=self._marker_tip)
        self._markers.sigClicked.connect(self._marker_clicked)
        self._labels: list[pg.TextItem] = []
        self._marker_values = np.zeros(0)
        self._marker_worst = np.zeros(0, dtype=int)
        self._shown: dict[str, np.ndarray | None] = {}
        self._step = 0

    @property
    def drawing(self):  # -> GridDrawing | None
        """The grid's geometry (None before a run)."""
        return self.model.drawing if self.model is not None else None

    # --- building the map (once per run: the data comes ready from a worker thread) ----------------
    def set_grid(self, model: MapModel | None, series: RunSeries | None) -> None:
        """Draw the grid (`model` is prepared off the GUI thread) and colour it from `series`."""
        self.map.clear()
        self.model, self.series, self._shown = model, series, {}
        self._lv, self._labels = [], []
        if model is None or series is None:
            return
        self._mv.setData(model.mv_xy[:, 0], model.mv_xy[:, 1], connect="pairs")
        self.map.addItem(self._mv)
        for _ in range(STEPS + 1):
            item = pg.PlotCurveItem(connect="pairs")
            self.map.addItem(item)
            self._lv.append(item)
        xy = model.drawing.bus_xy[model.bus_rows]
        self._buses.setData(pos=xy, data=model.bus_rows, size=4, pen=None, brush=BUS_BRUSH)
        self.map.addItem(self._buses)
        self.map.addItem(self._markers)
        n_ss = len(model.drawing.substation_names)
        self.search.setPlaceholderText(f"find one of {n_ss} substations (or a feeder): name, then Enter")
        self.selected = ("substation", 0)
        if self._level_chosen or n_ss <= AGGREGATE_ABOVE:  # keep the user's choice; big maps open by feeder
            self._draw_markers()
        else:
            self.level.setCurrentIndex(list(LEVELS).index("feeder"))  # draws the markers
        self.refresh()

    def set_level(self, key: str) -> None:
        """Show one marker per substation, MV feeder or primary substation (as the "show" selector does)."""
        self._level_chosen = True
        self.level.setCurrentIndex(list(LEVELS).index(key))

    @property
    def level_key(self) -> str:
        """The aggregation level shown: substation, feeder or primary."""
        return str(self.level.currentData())

    @property
    def quantity_key(self) -> str:
        """What the markers are coloured by: loading, lines or voltage."""
        return str(self.quantity.currentData())

    def _draw_markers(self) -> None:
        """Place the markers of the chosen level (sizes by households; colours follow in `_recolour`)."""
        m = self.model
        if m is None:
            return
        groups = m.groups[self.level_key]
        detailed = self.level_key == "substation"
        if detailed:
            sizes = np.full(groups.n, 13.0)  # pixels
        else:  # in map units: the largest group's circle fills the gap to its nearest neighbour, so none overlap
            share = groups.households / max(int(groups.households.max(initial=1)), 1)
            sizes = marker_spacing(groups.xy, m.drawing.bus_xy) * (0.35 + 0.6 * np.sqrt(share))
        self._markers.setData(pos=groups.xy, size=sizes, symbol="s" if detailed else "o", data=np.arange(groups.n),
                              pen=pg.mkPen("k", width=1), pxMode=detailed)  # fmt: skip
        for label in self._labels:
            self.map.removeItem(label)
        self._labels = []
        if not detailed and groups.n <= MAX_LABELS:  # name the groups beside their markers
            for g in range(groups.n):
                label = pg.TextItem(groups.names[g], color="#333", anchor=(-0.15, 0.5))
                label.setPos(float(groups.xy[g, 0] + sizes[g] / 2), float(groups.xy[g, 1]))
                self.map.addItem(label)
                self._labels.append(label)
        self._buses.setVisible(detailed)
        for item in self._lv:
            item.setVisible(detailed)
        self._shown = {}
        self._recolour(force=True)

    # --- colouring (every frame: only what changed is restyled) --------------------------------
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
        if s is None or self.model is None or s.n == 0:
            return
        self._step = min(k, s.n - 1)
        self.time_label.setText(str(np.datetime64(int(s.times_s[self._step]), "s")).replace("T", " ")[:16])
        self.cursor.setValue(s.times_s[self._step])
        self._recolour()

    def _substation_values(self) -> np.ndarray:
        """The chosen quantity of every substation at the shown step; NaN where withheld."""
        s, m = self.series, self.model
        column, _, _ = QUANTITIES[self.quantity_key]
        values = np.array(s.substation(column)[self._step], dtype=float)
        values[m.groups["substation"].withheld] = np.nan
        return values

    def _recolour(self, force: bool = False) -> None:
        s, m = self.series, self.model
        if s is None or m is None or s.n == 0:
            return
        quantity = self.quantity_key
        _, label, highest = QUANTITIES[quantity]
        band = s.scenario.dso.voltage_band_pct / 100
        per_ss = self._substation_values()
        groups = m.groups[self.level_key]
        if self.level_key == "substation":
            values, worst = per_ss, np.arange(groups.n)
            values = np.where(groups.withheld, np.nan, values)
        else:
            values, worst = worst_of_groups(per_ss, groups, highest)
        self._marker_values, self._marker_worst = values, worst
        steps = colour_steps(values, quantity, band)
        key = np.append(steps, [hash((quantity, self.level_key))])
        if force or not np.array_equal(key, self._shown.get("markers")):
            palette = VOLTAGE_BRUSHES if quantity == "voltage" else LOADING_BRUSHES
            brushes = [palette[i] if i >= 0 else NO_DATA_BRUSH for i in steps]
            for g in np.flatnonzero(groups.withheld):
                brushes[g] = WITHHELD_BRUSH
            self._markers.setBrush(brushes)
            self._shown["markers"] = key
        if self.level_key == "substation":
            self._colour_lv(colour_steps(per_ss, quantity, band), quantity, force)
        scale = "0.9–1.1 p.u., blue → red" if quantity == "voltage" else "0–120 %, dark blue → yellow"
        self.scale.setText(f"<small>{scale}; hatched: {WITHHELD.removeprefix('withheld: ')}</small>")
        self.scale.setToolTip(f"{label}: {scale}; a group's marker has its worst member's colour")

    def _colour_lv(self, steps: np.ndarray, quantity: str, force: bool) -> None:
        """LV lines in one curve per colour: segments regrouped only when a substation's colour changes."""
        m = self.model
        key = np.append(steps, [hash(quantity)])
        if not force and np.array_equal(key, self._shown.get("lv")):
            return
        self._shown["lv"] = key
        seg = np.where(steps[m.lv_substation] >= 0, steps[m.lv_substation], STEPS)
        order = np.argsort(seg, kind="stable")
        bounds = np.searchsorted(seg[order], np.arange(STEPS + 2))
        pens = (VOLTAGE_PENS if quantity == "voltage" else LOADING_PENS) + [pg.mkPen("#ccc", width=1)]
        for c, item in enumerate(self._lv):
            own = order[bounds[c] : bounds[c + 1]]
            if not len(own):
                item.setData([], [])
                continue
            points = np.column_stack([2 * own, 2 * own + 1]).ravel()
            item.setData(m.lv_xy[points, 0], m.lv_xy[points, 1], connect="pairs", pen=pens[c])

    def _marker_tip(self, x: float, y: float, data: object) -> str:
        m, g = self.model, int(data)
        if m is None:
            return ""
        groups = m.groups[self.level_key]
        name = groups.names[g]
        if groups.withheld[g]:
            return f"{name}: {WITHHELD}"
        _, label, _ = QUANTITIES[self.quantity_key]
        text = f"{name} ({groups.households[g]} homes): {label} {_format(self._marker_values[g], self.quantity_key)}"
        if self.level_key != "substation":
            worst = self._marker_worst[g]
            members = len(groups.members(g))
            text += f"\n{members} substations; worst: {m.drawing.substation_names[worst] if worst >= 0 else '—'}"
        return text

    # --- selection, search, zoom -----------------------------------------------------------------
    def set_series(self, series: RunSeries) -> None:
        """Colour the drawn grid from another source of the same run (a finished run's tables)."""
        self.series, self._shown = series, {}
        self.refresh()

    def find_substation(self, text: str | None = None) -> int | None:
        """Select the substation (or group) whose name is (or starts with) `text`, and zoom the map to it."""
        text = (self.search.text() if text is None else text).strip()
        if self.model is None or not text:
            return None
        for level in ("substation", *[k for k in LEVELS if k != "substation"]):
            names = self.model.groups[level].names
            hits = [i for i, n in enumerate(names) if n == text] or [
                i for i, n in enumerate(names) if n.lower().startswith(text.lower())
            ]
            if hits:
                if level == "substation":
                    self.select_substation(hits[0])
                    self._zoom(np.array([hits[0]]))
                else:
                    self.open_group(level, hits[0])
                return hits[0]
        self.info.setText(f"no substation or feeder named {text!r}")
        return None

    def _zoom(self, substations: np.ndarray) -> None:
        x0, y0, x1, y1 = self.model.bounds(substations)
        pad = 0.1 * max(x1 - x0, y1 - y0, 1e-6)
        self.map.setRange(xRange=(x0 - pad, x1 + pad), yRange=(y0 - pad, y1 + pad))

    def select_substation(self, s: int) -> None:
        """Show substation `s`'s series below the map."""
        self.selected = ("substation", s)
        self._update_detail()

    def open_group(self, level: str, g: int) -> None:
        """A group's marker clicked: list its members, show its worst-member series, zoom into its substations."""
        m = self.model
        groups = m.groups[level]
        members = groups.members(g)
        self.selected = (level, g)
        if self.level_key != "substation":
            self.level.setCurrentIndex(list(LEVELS).index("substation"))
        self._zoom(members)
        self._update_detail()
        if groups.withheld[g]:
            self.info.setText(f"{groups.names[g]}: {len(members)} substations; {WITHHELD}")
            return
        values = self._substation_values()[members]
        _, _, highest = QUANTITIES[self.quantity_key]
        order = np.argsort(np.where(np.isnan(values), np.inf, -values if highest else values), kind="stable")
        shown = [f"{m.drawing.substation_names[members[i]]} {_format(values[i], self.quantity_key)}" for i in order]
        self.info.setText(f"{groups.names[g]}: {len(members)} substations, {groups.households[g]:,} homes, "
                          f"worst first: " + ", ".join(shown[:40]) + (" …" if len(shown) > 40 else ""))  # fmt: skip

    def show_step(self, step: int) -> None:
        """Jump the slider to `step` (and stop following the run)."""
        self.follow.setChecked(False)
        self.slider.setValue(step)

    def _update_detail(self) -> None:
        s, m = self.series, self.model
        if s is None or m is None or not s.substation_names:
            return
        level, g = self.selected
        groups = m.groups[level]
        if g >= groups.n:
            return
        n = s.n
        members = groups.members(g)
        members = members[~m.groups["substation"].withheld[members]]
        if groups.withheld[g] or not len(members):
            self.detail.setTitle(f"{groups.names[g]}: {WITHHELD}")
            self.detail_loading.setData([], [])
            self.detail_voltage.setData([], [])
            return
        loading = s.substation("loading_pct")[:n, members]
        voltage = s.substation("vm_min_pu")[:n, members]
        if level == "substation":
            self.detail.setTitle(f"substation {groups.names[g]} ({groups.households[g]} homes)")
        else:
            self.detail.setTitle(f"{groups.names[g]}: highest loading and lowest voltage of its {len(members)} "
                                 f"substations")  # fmt: skip
        with np.errstate(all="ignore"):
            self.detail_loading.setData(s.times_s[:n], _nan_reduce(loading, np.fmax), connect="finite")
            self.detail_voltage.setData(s.times_s[:n], 100 * _nan_reduce(voltage, np.fmin), connect="finite")

    def _marker_clicked(self, _item: object, points: list, *_: object) -> None:
        if not len(points) or self.model is None:
            return
        g = int(points[0].data())
        if self.level_key == "substation":
            self.select_substation(g)
            tip = self._marker_tip(0, 0, g)
            self.info.setText(tip)
        else:
            self.open_group(self.level_key, g)

    def _bus_clicked(self, _item: object, points: list, *_: object) -> None:
        if not len(points) or self.model is None:
            return
        m, bus = self.model, int(points[0].data())
        ss = int(m.drawing.bus_substation[bus])
        if ss >= 0:
            self.select_substation(ss)
        homes = m.bus_households.get(bus, np.zeros(0, dtype=int))
        others = m.bus_declined.get(bus, 0)
        text = f"bus {m.drawing.bus_label[bus]}: "
        text += f"household(s) {list(map(int, homes[:10]))}" if len(homes) else "no consenting household"
        if others:
            text += "; others on this bus declined consent and appear only in aggregates"
        self.info.setText(text)
        if len(homes):
            self.household_selected.emit(int(homes[0]))


def marker_spacing(xy: np.ndarray, everything: np.ndarray) -> float:
    """The smallest distance between two markers (a third of the map's extent for a single marker)."""
    span = float(np.ptp(everything, axis=0).max()) if len(everything) else 1.0
    if len(xy) < 2:
        return span / 3 or 1.0
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    d[np.diag_indices(len(xy))] = np.inf
    return float(d.min()) or span / 3 or 1.0


def _nan_reduce(values: np.ndarray, op: np.ufunc) -> np.ndarray:
    """Row-wise fmax/fmin over columns, NaN where a row has no value."""
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    return op.reduce(values, axis=1)
