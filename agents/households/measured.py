"""Households driven by measured data: the measurement is their baseline, DR acts on top.

A measured household's meter already contains its appliances and car. So its non-flexible load is
the measurement minus what its drawn appliance cycles and charging sessions would use uncontrolled;
in the baseline (nothing managed) load = measurement exactly, and with demand response the HEMS's
moves are added on top. Where a move takes away more than the meter showed at that step, the load
stops at zero and the clipped energy is counted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.evs.sessions import Sessions
from agents.households.loads import LoadBook
from agents.households.routines import Cycles
from agents.planning import add_cycle_power, add_energy, charging_schedule


class MeasuredHouseholds:
    """The measured rows, their per-step energy, and the uncontrolled flexible load drawn for them."""

    def __init__(self, imported: Any, n_households: int, scenario: Any) -> None:
        """`imported`: the meter import (`simulator.meter_data.MeterImport`: rows, energy_kwh, report)."""
        self.imported = imported
        self.rows = imported.rows
        self.is_measured = np.zeros(n_households, dtype=bool)
        self.is_measured[self.rows] = True
        self.spd, self.step_h = scenario.steps_per_day, scenario.step_h
        self.uncontrolled = LoadBook(n_households, self.spd)
        self.clipped_kwh = np.zeros(len(self.rows))

    def apply_day(self, day: int, cycles: Cycles, sessions: Sessions, book: LoadBook, base_kw: np.ndarray) -> None:
        """Overwrite today's base load (steps × households) of measured rows: measurement − uncontrolled flex."""
        if day > 0:
            self.uncontrolled.roll()
        c = self.is_measured[cycles.household]
        add_cycle_power(
            self.uncontrolled.appliance_kw, cycles.household[c], cycles.earliest[c], cycles.duration[c],
            cycles.power_kw[c],
        )  # fmt: skip
        s = self.is_measured[sessions.household]
        if s.any():
            args = (sessions.arrival[s], sessions.departure[s], sessions.energy_kwh[s], sessions.power_kw[s])
            steps, kwh = charging_schedule(None, np.zeros(int(s.sum()), dtype=np.int64), *args, self.step_h)
            add_energy(self.uncontrolled.ev_kw, sessions.household[s], steps, kwh, self.step_h)
        today = slice(0, self.spd)
        energy = self.imported.energy_kwh[day * self.spd : (day + 1) * self.spd]
        measured_kw = np.zeros((self.spd, len(self.rows)))
        measured_kw[: len(energy)] = energy / self.step_h
        rows = self.rows
        flex_unc = self.uncontrolled.appliance_kw[today][:, rows] + self.uncontrolled.ev_kw[today][:, rows]
        flex_now = book.appliance_kw[today][:, rows] + book.ev_kw[today][:, rows]
        wanted = measured_kw - flex_unc
        base = np.maximum(wanted, -flex_now)
        self.clipped_kwh += (base - wanted).sum(axis=0) * self.step_h
        base_kw[:, rows] = base

    def report(self) -> dict[str, Any]:
        """The import's report plus what demand response had to clip."""
        return {**self.imported.report, "dr_clipped_kwh": float(self.clipped_kwh.sum())}
