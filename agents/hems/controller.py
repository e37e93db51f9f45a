"""The vectorised HEMS controller: a whole fleet's day plan in one call, replaceable by dotted path.

`[hems] fleet_controller = "my_module:MyPlanner"` names a subclass of `HemsController`; the shipped
`CheapestStart` (the default) is `agents.hems.plan.plan_day`. A controller sees what the HEMS fleet
legitimately knows that morning (`HemsDay`) and writes every managed home's plan into the book.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.evs.sessions import Sessions
from agents.hems.plan import DayPlan, plan_day
from agents.hems.spec import HemsControl
from agents.households.loads import LoadBook
from agents.households.routines import Cycles


@dataclass(frozen=True)
class HemsDay:
    """One day's planning inputs for the whole fleet (arrays by household row; cycles and sessions by entry)."""

    book: LoadBook  # write the plan here: appliance_kw and ev_kw, 2 days × households [kW]
    cycles: Cycles
    sessions: Sessions
    managed: np.ndarray  # bool: the home's HEMS acts
    prices: np.ndarray  # tariffs × steps of today and tomorrow [€/kWh]
    tariff: np.ndarray  # each home's row of `prices`
    step_h: float
    rng: np.random.Generator  # the model's `behaviour` stream: use it for every draw (reproducible runs)
    manual: np.ndarray  # bool: the user moves loads by hand today
    request: np.ndarray  # bool: a critical-peak event today
    control: HemsControl  # the customers' declarations


class HemsController:
    """Base of vectorised HEMS controllers: `plan_day` places every cycle and session of the day into the book."""

    def plan_day(self, day: HemsDay) -> DayPlan:
        """Plan the day for every home (subclasses override); return what moved (for the results)."""
        raise NotImplementedError


class CheapestStart(HemsController):
    """The shipped HEMS: each declared load at its cheapest time inside the customer's window (`plan_day`)."""

    def plan_day(self, day: HemsDay) -> DayPlan:
        """`agents.hems.plan.plan_day` over the whole fleet."""
        return plan_day(
            day.book, day.cycles, day.sessions, day.managed, day.prices, day.tariff, day.step_h, day.rng,
            manual=day.manual, request=day.request, control=day.control,
        )  # fmt: skip
