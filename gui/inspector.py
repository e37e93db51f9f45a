"""The agent inspector: one household's appliances, HEMS plan, EV, bill against the baseline, engagement, messages.

It reads the live model (between frames) or a finished run's tables.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.group_disclosure import group_summary
from gui.household_trace import SERIES, HouseholdTrace
from gui.messages_view import live_messages
from gui.plots import PALETTE, legend_below
from gui.series import epoch_s
from simulator.results.run_result import RunResult
from simulator.runner import Simulation, agents_table

GROUP_COLUMNS = {"substation": "substation", "tariff": "tariff", "retailer": "retailer"}
NO_HUB = "no market hub in this scenario: its HEMS received no messages"
NO_ENGAGEMENT = "no engagement model in this scenario"
NOT_CONSENTED = "This household did not consent to individual data: it appears only in aggregates."
NO_SERIES = (
    "The household's power is not in these results:<br>"
    'set [output] household_series = "step" (or "daily") and run again'
)


class AgentInspector(QWidget):
    """Pick a household by row (or click one in the grid view) and read everything about it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QSpinBox()
        self.row.setRange(0, 0)
        self.row.valueChanged.connect(lambda _: self.refresh())
        self.search = QLineEdit()
        self.search.setPlaceholderText("search: row number, or e.g. 'has_ev' / 'has_hems' / a substation name")
        self.search.returnPressed.connect(self._search)
        find = QPushButton("Find")
        find.clicked.connect(self._search)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("household row"))
        bar.addWidget(self.row)
        bar.addWidget(self.search, 1)
        bar.addWidget(find)
        self.group = QLabel("Search a substation, tariff or retailer for its group of households.")
        self.group.setWordWrap(True)
        self.group.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QTextBrowser()
        self.power = pg.PlotWidget(title="The household's power, step by step",
                                   axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})  # fmt: skip
        self.power.setLabel("left", "power [kW]")
        self.power.setLabel("bottom", "local time")
        self.power.showGrid(x=True, y=True, alpha=0.2)
        self.power_legend = legend_below(self.power.getPlotItem())
        self.power_curves = {
            name: self.power.plot([], [], name=label, pen=pg.mkPen(PALETTE[i], width=1.5))
            for i, (name, label) in enumerate(SERIES.items())
        }
        #: a finished run's `households.parquet`: net power at the meter (step) or each day's highest (daily)
        self.meter_curve = self.power.plot([], [], pen=pg.mkPen(PALETTE[3], width=1.5))
        self.plan = pg.PlotWidget(title="HEMS plan, today and tomorrow")
        self.plan.setLabel("bottom", "h from today 00:00")
        self.plan.setLabel("left", "kW")
        legend_below(self.plan.getPlotItem(), columns=1)
        self.plan_appliances = self.plan.plot([], [], name="appliances", pen=pg.mkPen(PALETTE[0], width=2))
        self.plan_ev = self.plan.plot([], [], name="EV charging", pen=pg.mkPen(PALETTE[1], width=2))
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.power)
        plots.addWidget(self.plan)
        plots.setSizes([560, 340])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.text)
        split.addWidget(plots)
        split.setSizes([300, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.group)
        layout.addWidget(split, 1)
        self.sim: Simulation | None = None
        self.result: RunResult | None = None
        self.trace: HouseholdTrace | None = None
        self.record: dict | None = None
        self._allowed = np.zeros(0, dtype=bool)
        self._saved_rows: dict[int, np.ndarray] | None = None
        self._last_row = 0

    def set_source(
        self, sim: Simulation | None = None, result: RunResult | None = None, trace: HouseholdTrace | None = None
    ) -> None:
        """Inspect the households of a live simulation or of a finished run (with its per-step trace, if kept)."""
        self.sim, self.result, self.trace = sim, result, trace
        saved = result.households if result is not None else None
        self._saved_rows = saved.groupby("row").indices if saved is not None and not saved.empty else None
        agents = self._agents()
        n = len(agents) if agents is not None else 1
        consent = agents["consent"].to_numpy(dtype=bool) if agents is not None and "consent" in agents else None
        self._allowed = consent if consent is not None else np.ones(n, dtype=bool)
        self.row.setRange(0, max(n - 1, 0))
        self.refresh()

    @property
    def listed(self) -> np.ndarray:
        """The household rows the inspector shows: only those whose household consented (seed 003)."""
        return np.flatnonzero(self._allowed)

    def select(self, row: int) -> bool:
        """Show household `row`; False (and nothing about it) if it did not consent."""
        if not (0 <= row < len(self._allowed)) or not self._allowed[row]:
            self.text.setHtml(f"<p>{NOT_CONSENTED}</p>")
            return False
        self.row.setValue(row)
        self.refresh()
        return True

    def _allowed_row(self, row: int) -> int | None:
        """`row`, or the next consenting row in the direction the spin box moved."""
        listed = self.listed
        if not len(listed):
            return None
        if self._allowed[row]:
            return row
        going_up = row >= self._last_row
        above, below = listed[listed > row], listed[listed < row][::-1]
        forward, backward = (above, below) if going_up else (below, above)
        pick = forward if len(forward) else backward
        return int(pick[0]) if len(pick) else None

    def _agents(self) -> pd.DataFrame | None:
        if self.result is not None:
            return self.result.agents
        if self.sim is not None:
            return agents_table(self.sim.model, self.sim.baseline)
        return None

    def _search(self) -> None:
        text = self.search.text().strip()
        agents = self._agents()
        if agents is None or not text:
            return
        if text.isdigit():
            self.select(int(text))
            return
        if text in agents and agents[text].dtype == bool:
            hits = np.flatnonzero(agents[text].to_numpy() & self._allowed)
        else:
            members = self._show_group(agents, text)
            hits = np.flatnonzero(members & self._allowed)
        after = hits[hits > self.row.value()]
        if len(hits):
            self.select(int(after[0] if len(after) else hits[0]))

    def _show_group(self, agents: pd.DataFrame, text: str) -> np.ndarray:
        """The households of the substation, tariff or retailer named `text`, summed up under the disclosure rule."""
        for column, what in GROUP_COLUMNS.items():
            if column in agents:
                members = (agents[column].astype(str) == text).to_numpy()
                if members.any():
                    self.group.setText(group_summary(agents, members, f"{what} {text}"))
                    return members
        self.group.setText(f"no substation, tariff or retailer named {text!r}")
        return np.zeros(len(agents), dtype=bool)

    def refresh(self) -> None:
        """Re-read the household shown (its bill grows during a live run)."""
        agents = self._agents()
        if agents is None or not len(agents):
            self.text.setHtml("<p>Open or run a scenario to inspect its households.</p>")
            return
        row = self._allowed_row(min(self.row.value(), len(agents) - 1))
        if row is None:
            self.record = None
            self.text.setHtml(f"<p>No household of this run consented to individual data. {NOT_CONSENTED}</p>")
            return
        if row != self.row.value():
            self.row.blockSignals(True)
            self.row.setValue(row)
            self.row.blockSignals(False)
        self._last_row = row
        self.record = agents.iloc[row].to_dict()
        listed = f"<p><i>{len(self.listed):,} of {len(agents):,} households listed: those that consented.</i></p>"
        self.text.setHtml(self._household_html(self.record) + self._messages_html(self.record) + listed)
        self._show_power(row)
        self._show_plan(row)

    def _legend(self, saved: bool) -> None:
        """The legend names the curves drawn: the saved meter power, or the live trace's three series."""
        legend = self.power_legend
        for name, curve in self.power_curves.items():
            legend.removeItem(curve)
            if not saved:
                legend.addItem(curve, SERIES[name])
        legend.removeItem(self.meter_curve)
        if saved:
            legend.addItem(self.meter_curve, "net power at the meter (import +, export −)")

    def _show_power(self, row: int) -> None:
        self.meter_curve.setData([], [])
        self._legend(saved=False)
        if self.trace is None:
            for curve in self.power_curves.values():
                curve.setData([], [])
            self._show_saved_power(row)
            return
        values = self.trace.household(row)
        n = self.trace.steps
        scenario = self.result.scenario if self.result is not None else self.sim.scenario
        times = epoch_s(scenario.times())[:n]
        self.power.setTitle(f"Household {row}: power, step by step")
        for name, curve in self.power_curves.items():
            curve.setData(times, values[name].astype(float), connect="finite")

    def _show_saved_power(self, row: int) -> None:
        """A finished run opened from disk: its `households.parquet` series of this household, or how to get them."""
        if self._saved_rows is None or self.result is None:
            self.power.setTitle(NO_SERIES)
            return
        at = self._saved_rows.get(row)
        if at is None:
            self.power.setTitle(f"Household {row}: not in households.parquet")
            return
        rows = self.result.households.iloc[at]
        self._legend(saved=True)
        times = epoch_s(pd.DatetimeIndex(rows["time"]))
        if "p_kw" in rows:
            self.power.setTitle(f"Household {row}: net power at its meter (households.parquet)")
            self.meter_curve.setData(times, rows["p_kw"].to_numpy(dtype=float), connect="finite", symbol=None)
        else:
            self.power.setTitle(f"Household {row}: highest net power of each day (households.parquet)")
            self.meter_curve.setData(times, rows["peak_kw"].to_numpy(dtype=float), symbol="o", symbolSize=6)

    def _household_html(self, r: dict) -> str:
        owned = [c.removeprefix("owns_").replace("_", " ") for c in r if c.startswith("owns_") and r[c]]
        change = r["bill_eur"] - r["baseline_bill_eur"]
        verdict = "saves" if change < -0.01 else ("pays more" if change > 0.01 else "pays the same")
        engagement = (
            f"engagement {r['engagement']:.2f}, tokens {r.get('tokens', 0):g}" if "engagement" in r else NO_ENGAGEMENT
        )
        rows = [
            ("substation", r["substation"]),
            ("retailer · tariff", f"{r['retailer']} · {r['tariff']}"),
            ("annual consumption", f"{r['annual_kwh']:,.0f} kWh/a"),
            ("rooftop PV", f"{r['pv_kwp']:.1f} kWp" if r["pv_kwp"] > 0 else "none"),
            ("HEMS", "yes: it moves the appliances and EV charging to cheap hours" if r["has_hems"] else "no"),
            ("EV", f"yes, {r['charger_kw']:.1f} kW charger" if r["has_ev"] else "no"),
            ("flexible appliances", ", ".join(owned) or "none"),
            ("energy used so far", f"{r['energy_kwh']:.1f} kWh (EV {r['ev_kwh']:.1f}, "
                                   f"appliances {r['appliance_kwh']:.1f})"),
            ("energy shifted by its HEMS", f"{r['shifted_kwh']:.1f} kWh"),
            ("bill", f"{r['bill_eur']:.2f} € against {r['baseline_bill_eur']:.2f} € in the baseline: "
                     f"{verdict} ({change:+.2f} €)"),
            ("engagement and tokens", engagement),
        ]  # fmt: skip
        cells = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
        return f"<h3>Household {int(r['row'])}</h3><table cellspacing=4>{cells}</table>"

    def _messages_html(self, r: dict) -> str:
        if self.result is not None:
            messages = self.result.messages if self.result.scenario.hub is not None else None
        else:
            messages = live_messages(self.sim) if self.sim is not None else None
        if messages is None:
            return f"<h4>Messages received</h4><p><i>{NO_HUB}</i></p>"
        if messages.empty or "dst" not in messages:
            return "<h4>Messages received</h4><p>None so far.</p>"
        if not r["has_hems"]:
            return "<h4>Messages received</h4><p>No HEMS: it receives no market messages.</p>"
        mine = messages[(messages["dst"] == "hems") & (messages["src"] == f"platform:{r['retailer']}")]
        if mine.empty:
            return "<h4>Messages received</h4><p>None reached its HEMS.</p>"
        counts = mine.groupby(["message_kind", "outcome"]).size().reset_index(name="n")
        body = "".join(f"<tr><td>{k}</td><td>{o}</td><td>{n}</td></tr>" for k, o, n in counts.itertuples(index=False))
        return f"<h4>Messages to its HEMS (bulk, from its retailer)</h4><table>{body}</table>"

    def _show_plan(self, row: int) -> None:
        if self.sim is None:
            self.plan.setTitle("HEMS plan: during a run only")
            self.plan_appliances.setData([], [])
            self.plan_ev.setData([], [])
            return
        book, h = self.sim.model.book, self.sim.scenario.step_h
        appliance_kw = household_plan(book.appliance_kw, row, book.steps_per_day)
        ev_kw = household_plan(book.ev_kw, row, book.steps_per_day)
        hours = np.arange(len(appliance_kw)) * h
        self.plan.setTitle("HEMS plan, today and tomorrow")
        self.plan_appliances.setData(hours, appliance_kw)
        self.plan_ev.setData(hours, ev_kw)


def household_plan(book_kw: np.ndarray, row: int, steps_per_day: int) -> np.ndarray:
    """One household's planned power over the book's two days, whichever way round the book is stored."""
    if book_kw.shape[0] == 2 * steps_per_day:  # steps × households
        return book_kw[:, row]
    return book_kw[row]
