"""Every HEMS of a run in bulk: the customers' declarations and the day's plan of each home's flexible load.

The default decision is `plan_day`, vectorised over all homes. A HEMS answering the hub (activations,
emergency orders, tariff calendars) is the `HemsGateway` the market link wires to this fleet's book.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.fleet import DayContext, QuietFleet
from agents.hems.plan import plan_day
from agents.hems.spec import HemsControl
from agents.households.fleet import HouseholdFleet


class HemsFleet(QuietFleet):
    """The HEMS in the homes that have one: what their customers declared, and the day's plans."""

    kind = "hems"

    def __init__(self, scenario: Any, homes: HouseholdFleet, streams: dict[str, np.random.Generator]) -> None:
        """Declarations are drawn once, from the `hems` stream; plans use the `behaviour` stream."""
        self.scenario = scenario
        self.homes = homes
        pop = homes.population
        self.rows = np.flatnonzero(pop.has_hems)
        self.managed = homes.managed
        behaviour = scenario.behaviour
        self.control = HemsControl.draw(behaviour.hems, pop.has_hems, streams["hems"], scenario.step_h)
        self.rng = streams["behaviour"]

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Plan every home's cycles and charging into the book (HEMS homes: cheapest; responders: by hand)."""
        homes, response = self.homes, ctx.shared["response"]
        everything = not self.scenario.behaviour.enabled
        plan = plan_day(
            homes.book, ctx.shared["cycles"], ctx.shared["sessions"], self.managed, ctx.prices, homes.tariff,
            ctx.step_h, self.rng, manual=response.responds, request=response.request,
            control=HemsControl.everything(homes.n) if everything else self.control,
        )  # fmt: skip
        homes.running["shifted_kwh"] += plan.shifted_kwh
        ctx.shared["plan"] = plan
