"""The agent inspector: one household's appliances, HEMS plan, EV, bill against the baseline, engagement, messages.

It reads the live model (between frames) or a finished run's tables.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.messages_view import live_messages
from gui.plots import PALETTE
from simulator.results.run_result import RunResult
from simulator.runner import Simulation, agents_table

NO_HUB = "no market hub in this scenario: its HEMS received no messages"
NO_ENGAGEMENT = "no engagement model in this scenario"


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
        self.text = QTextBrowser()
        self.plan = pg.PlotWidget(title="HEMS plan: planned flexible power, today and tomorrow")
        self.plan.setLabel("bottom", "hours from today's midnight")
        self.plan.setLabel("left", "kW")
        self.plan.addLegend(offset=(5, 5))
        self.plan_appliances = self.plan.plot([], [], name="appliances", pen=pg.mkPen(PALETTE[0], width=2))
        self.plan_ev = self.plan.plot([], [], name="EV charging", pen=pg.mkPen(PALETTE[1], width=2))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.plan, 1)
        self.sim: Simulation | None = None
        self.result: RunResult | None = None
        self.record: dict | None = None

    def set_source(self, sim: Simulation | None = None, result: RunResult | None = None) -> None:
        """Inspect the households of a live simulation or of a finished run."""
        self.sim, self.result = sim, result
        n = sim.model.population.n if sim is not None else (len(result.agents) if result is not None else 1)
        self.row.setRange(0, max(n - 1, 0))
        self.refresh()

    def select(self, row: int) -> None:
        """Show household `row`."""
        self.row.setValue(row)
        self.refresh()

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
            hits = np.flatnonzero(agents[text].to_numpy())
        else:
            hits = np.flatnonzero((agents["substation"].astype(str) == text).to_numpy())
        after = hits[hits > self.row.value()]
        if len(hits):
            self.select(int(after[0] if len(after) else hits[0]))

    def refresh(self) -> None:
        """Re-read the household shown (its bill grows during a live run)."""
        agents = self._agents()
        if agents is None or not len(agents):
            self.text.setHtml("<p>Open or run a scenario to inspect its households.</p>")
            return
        row = min(self.row.value(), len(agents) - 1)
        self.record = agents.iloc[row].to_dict()
        self.text.setHtml(self._household_html(self.record) + self._messages_html(self.record))
        self._show_plan(row)

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
            self.plan.setTitle("HEMS plan: shown during a live run (a finished run keeps totals only)")
            self.plan_appliances.setData([], [])
            self.plan_ev.setData([], [])
            return
        book, h = self.sim.model.book, self.sim.scenario.step_h
        appliance_kw = household_plan(book.appliance_kw, row, book.steps_per_day)
        ev_kw = household_plan(book.ev_kw, row, book.steps_per_day)
        hours = np.arange(len(appliance_kw)) * h
        self.plan.setTitle("HEMS plan: planned flexible power, today and tomorrow")
        self.plan_appliances.setData(hours, appliance_kw)
        self.plan_ev.setData(hours, ev_kw)


def household_plan(book_kw: np.ndarray, row: int, steps_per_day: int) -> np.ndarray:
    """One household's planned power over the book's two days, whichever way round the book is stored."""
    if book_kw.shape[0] == 2 * steps_per_day:  # steps × households
        return book_kw[:, row]
    return book_kw[row]
