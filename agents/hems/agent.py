"""The HEMS agent: the home energy manager of one home, a view onto its row of the fleets' arrays.

Its decision can be replaced per agent: subclass `Hems`, override `plan_day`, and name the subclass in
the scenario (`[hems] controller = "my_module:MyHems"`). The fleet plans every other HEMS in one
vectorised batch and calls `plan_day` once a day for the agents of that class only.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from agents.hems.spec import LOADS


@dataclass(frozen=True)
class Cycle:
    """One appliance cycle the user starts today (steps from the start of today)."""

    appliance: str
    earliest: int  # the step the user loads it: its start without a HEMS
    latest_start: int  # the last start that still finishes inside the user's window
    duration: int  # steps
    power_kw: float


@dataclass(frozen=True)
class Session:
    """One EV charging session that begins today (steps from the start of today; may run into tomorrow)."""

    arrival: int  # first step plugged in
    departure: int  # first step unplugged (exclusive)
    energy_kwh: float  # what the driver needs by departure
    power_kw: float  # charger power


@dataclass(frozen=True)
class HomePlan:
    """A per-agent HEMS decision for today: each cycle's start, and the EV's charging power per step.

    `cycle_starts[i]` belongs to `cycles[i]` and must lie in [earliest, latest_start]. `ev_kw` covers today
    and tomorrow (2 × steps per day); None charges each car at full power from arrival (no control).
    """

    cycle_starts: tuple[int, ...]
    ev_kw: np.ndarray | None = None


class Hems(mesa.Agent):
    """A HEMS in one home: it moves the home's flexible load to the cheapest times its customer allows."""

    def __init__(self, model: mesa.Model, household: mesa.Agent) -> None:
        super().__init__(model)
        self.household = household
        self.row = household.row
        self.cycles: list[Cycle] = []  # today's, set by the fleet before `plan_day`
        self.sessions: list[Session] = []

    @property
    def shifted_kwh(self) -> float:
        """Energy its plans (and its customer by hand) moved so far [kWh]."""
        return float(self.model.fleet["households"].running["shifted_kwh"][self.row])

    @property
    def declared(self) -> dict[str, bool]:
        """Which loads its customer declared flexible (drawn once per run)."""
        row = self.model.fleet["hems"].control.declared[self.row]
        return dict(zip(LOADS, (bool(x) for x in row), strict=True))

    def plan_day(self, prices: np.ndarray) -> HomePlan:
        """Today's plan from this home's prices (today and tomorrow, [€/kWh] per step), in plain Python.

        The shipped rule, one agent at a time: each cycle at its cheapest start inside its window (the
        user's start where equally cheap), each car in the cheapest steps of its stay. The fleet calls it
        only for subclasses that override it; every other HEMS is planned by `agents.hems.plan.plan_day`.
        """
        cum = np.concatenate([[0.0], np.cumsum(prices)])
        starts = []
        for c in self.cycles:
            options = range(c.earliest, c.latest_start + 1)
            cost = [cum[s + c.duration] - cum[s] for s in options]
            starts.append(c.earliest + int(np.argmin(np.round(cost, 12))))
        ev_kw = np.zeros(len(prices))
        for s in self.sessions:
            step_h = 24 / (len(prices) // 2)
            need_kwh = s.energy_kwh
            for t in sorted(range(s.arrival, s.departure), key=lambda t: (prices[t], t)):
                kwh = min(need_kwh, s.power_kw * step_h)
                ev_kw[t] += kwh / step_h
                need_kwh -= kwh
                if need_kwh <= 1e-12:
                    break
        return HomePlan(tuple(starts), ev_kw)
