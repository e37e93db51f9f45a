"""The live plots of a run: district load, transformer loading, voltage band, prices, EV charging, engagement.

Every item is created once; `refresh()` only calls `setData`/`setImage`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.plots import (
    BASELINE_PEN,
    LIMIT_PEN,
    LOADING_CMAP,
    PREVIOUS_PEN,
    RUN_PEN,
    curve,
    date_label,
    empty_note,
    time_plot,
)
from gui.series import RunSeries, epoch_s
from simulator.scenario import Scenario

LOADING_LEVELS_PCT = (0.0, 120.0)


class LiveViews(QWidget):
    """A grid of time plots that follow a run as it steps (or show a finished one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        lay = self.canvas.ci
        self.load_plot = time_plot(lay, "District import at the primary substation", "W", 0, 0)
        self.load = curve(self.load_plot, "with demand response", RUN_PEN)
        self.load_base = curve(self.load_plot, "baseline (flat tariff, no DR)", BASELINE_PEN)
        self.load_prev = curve(self.load_plot, "previous run", PREVIOUS_PEN)  # to compare after changing a parameter
        self.heat_plot = time_plot(lay, "Transformer loading by substation [%]", "", 0, 1)
        self.heat_plot.setLabel("left", "substation")
        self.heat = pg.ImageItem(axisOrder="col-major")
        self.heat.setColorMap(LOADING_CMAP)
        self.heat_plot.addItem(self.heat)
        self.heat_bar = pg.ColorBarItem(values=LOADING_LEVELS_PCT, colorMap=LOADING_CMAP, label="loading [%]")
        self.heat_bar.setImageItem(self.heat, insert_in=self.heat_plot)
        self.volt_plot = time_plot(lay, "Voltage band (lowest and highest bus)", "", 1, 0)
        self.volt_plot.setLabel("left", "voltage [p.u.]")
        self.vmin = curve(self.volt_plot, "lowest bus", RUN_PEN)
        self.vmax = curve(self.volt_plot, "highest bus", pg.mkPen("#ff7f0e", width=2))
        self.band = [pg.InfiniteLine(angle=0, pen=LIMIT_PEN) for _ in range(2)]
        for line in self.band:
            self.volt_plot.addItem(line)
        self.price_plot = time_plot(lay, "Mean price households face", "", 1, 1)
        self.price_plot.setLabel("left", "price [€/kWh]")
        self.price_plot.getAxis("left").enableAutoSIPrefix(False)
        self.price = curve(self.price_plot, "with tariff options", RUN_PEN, stepMode=None)
        self.price_base = curve(self.price_plot, "baseline tariff", BASELINE_PEN)
        self.ev_plot = time_plot(lay, "EV charging", "W", 2, 0)
        self.ev = curve(self.ev_plot, "managed", RUN_PEN)
        self.ev_base = curve(self.ev_plot, "baseline", BASELINE_PEN)
        self.eng_plot = time_plot(lay, "Engagement (share of households responding)", "", 2, 1)
        self.eng_plot.setLabel("left", "share of households")
        self.eng_plot.getAxis("left").enableAutoSIPrefix(False)  # a share, not "(x0.001)"
        self.eng = curve(self.eng_plot, "engaged", RUN_PEN)
        self.eng_note = empty_note(self.eng_plot, "no engagement model in this scenario")
        for plot in (self.heat_plot, self.volt_plot, self.price_plot, self.ev_plot, self.eng_plot):
            plot.setXLink(self.load_plot)
        self.series: RunSeries | None = None
        self._shown_n = -1

    def plots(self) -> dict[str, pg.PlotItem]:
        """The plots by name, for export."""
        return {
            "district_load": self.load_plot,
            "transformer_loading": self.heat_plot,
            "voltage_band": self.volt_plot,
            "prices": self.price_plot,
            "ev_charging": self.ev_plot,
            "engagement": self.eng_plot,
        }

    def show_horizon(self, scenario: Scenario) -> None:
        """Before a run: the scenario's dates on the time axes and sensible empty ranges (not 1970, not ±400)."""
        self.series, self._shown_n = None, -1
        for item in (self.load, self.load_base, self.load_prev, self.vmin, self.vmax, self.price, self.price_base,
                     self.ev, self.ev_base, self.eng):  # fmt: skip
            item.setData([], [])
        self.heat.clear()
        t = epoch_s(scenario.times())
        for plot in self.plots().values():
            date_label(plot, scenario.start)
        self.load_plot.setXRange(t[0], t[-1] + scenario.step_s, padding=0.01)
        band = scenario.dso.voltage_band_pct / 100
        self.band[0].setValue(1 - band)
        self.band[1].setValue(1 + band)
        self.volt_plot.setYRange(1 - 1.5 * band, 1 + 1.5 * band)
        for plot in (self.load_plot, self.price_plot, self.ev_plot, self.eng_plot):
            plot.setYRange(0, 1)
            plot.enableAutoRange(axis="y")
        self.heat_plot.setYRange(0, 1)

    def set_series(self, series: RunSeries | None, *, new_run: bool = False) -> None:
        """Follow a run: fix the x range to its horizon; a new run keeps the last one's load as 'previous run'."""
        if new_run:
            x, y = self.load.getData()
            if x is not None and len(x):
                self.load_prev.setData(x, y, connect="finite")
        self.series, self._shown_n = series, -1
        if series is None:
            return
        band = series.scenario.dso.voltage_band_pct / 100
        self.band[0].setValue(1 - band)
        self.band[1].setValue(1 + band)
        t = series.times_s
        step_s = series.scenario.step_s
        for plot in self.plots().values():
            date_label(plot, series.scenario.start)
        self.load_plot.setXRange(t[0], t[-1] + step_s, padding=0.01)
        self.heat_plot.setYRange(0, max(len(series.substation_names), 1), padding=0)
        self.volt_plot.setYRange(1 - 1.5 * band, 1 + 1.5 * band)
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> bool:
        """Update every item from the series up to the latest step; False if nothing new."""
        s = self.series
        if s is None:
            return False
        n = s.n
        if n == self._shown_n and not force:
            return False
        self._shown_n = n
        x = s.times_s[:n]
        kw = 1000.0  # the plots label watts with SI prefixes; series are in kW
        self.load.setData(x, s.district("import_kw")[:n] * kw, connect="finite")
        self.load_base.setData(x, s.district("import_kw", "baseline")[:n] * kw, connect="finite")
        self.vmin.setData(x, s.district("vm_min_pu")[:n], connect="finite")
        self.vmax.setData(x, s.district("vm_max_pu")[:n], connect="finite")
        self.price.setData(x, s.district("price_mean_eur_per_kwh")[:n], connect="finite")
        self.price_base.setData(x, s.district("price_mean_eur_per_kwh", "baseline")[:n], connect="finite")
        self.ev.setData(x, s.district("ev_kw")[:n] * kw, connect="finite")
        self.ev_base.setData(x, s.district("ev_kw", "baseline")[:n] * kw, connect="finite")
        self._refresh_heat(s, n)
        self._refresh_engagement(s, n)
        return True

    def _refresh_heat(self, s: RunSeries, n: int) -> None:
        if n == 0 or not s.substation_names:
            self.heat.clear()
            return
        loading = np.nan_to_num(s.substation("loading_pct")[:n], nan=0.0)
        loading[:, s.withheld] = np.nan  # withheld (fewer than 5 homes): drawn blank, not as 0 %
        self.heat.setImage(loading, autoLevels=False, levels=LOADING_LEVELS_PCT)
        self.heat.setRect(QRectF(s.times_s[0], 0, n * s.scenario.step_s, loading.shape[1]))

    def _refresh_engagement(self, s: RunSeries, n: int) -> None:
        values = s.district("engaged_share") if _has_series(s, "engaged_share") else None
        self.eng_note.setVisible(values is None)
        if values is not None:
            self.eng.setData(s.times_s[:n], values[:n], connect="finite")


def _has_series(s: RunSeries, name: str) -> bool:
    try:
        values = s.district(name)
    except KeyError:
        return False
    return bool(np.isfinite(values).any())
