"""Every HEMS of a run in bulk: the customers' declarations and the day's plan of each home's flexible load.

The default decision is `plan_day`, vectorised over all homes. A HEMS answering the hub (activations,
emergency orders, tariff calendars) is the `HemsGateway` the market link wires to this fleet's book.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from agents.fleet import DayContext, QuietFleet
from agents.hems.agent import Hems
from agents.hems.controller import HemsController, HemsDay
from agents.hems.per_agent import overrides_plan, plan_per_agent, subset
from agents.hems.plan import DayPlan
from agents.hems.spec import HemsControl, assumption_warnings
from agents.households.fleet import HouseholdFleet
from agents.response.parameters import load_parameters


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
        fitted = load_parameters()  # the register-fitted price response: HEMS share h, manual ceiling c
        self.control = HemsControl.draw(
            behaviour.hems, pop.has_hems, streams["hems"], scenario.step_h, 1.0 - fitted.hems_peak_share,
            manual_move_probability=fitted.manual_ceiling,
        )  # fmt: skip
        self.rng = streams["behaviour"]
        self.warnings = assumption_warnings(behaviour.hems) if self.rows.size else []
        self.controller: HemsController = scenario.hems.controller_class("fleet_controller")()
        self.per_agent: list[Hems] = []  # agents whose class overrides `plan_day`, planned one by one
        self.per_agent_rows = np.zeros(pop.n, dtype=bool)

    def attach(self, agents: list[Hems]) -> None:
        """The HEMS agents; those whose class overrides `plan_day` (and act: demand response on) decide per agent."""
        self.per_agent = [a for a in agents if overrides_plan(a) and self.managed[a.row]]
        self.per_agent_rows[:] = False
        self.per_agent_rows[[a.row for a in self.per_agent]] = True

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Plan every home's cycles and charging into the book (HEMS homes: cheapest; responders: by hand)."""
        homes, response = self.homes, ctx.shared["response"]
        cycles, sessions = ctx.shared["cycles"], ctx.shared["sessions"]
        if self.per_agent:  # the vectorised plan for everyone else
            own_c, own_s = self.per_agent_rows[cycles.household], self.per_agent_rows[sessions.household]
            cycles, sessions = subset(cycles, ~own_c), subset(sessions, ~own_s)
        everything = not self.scenario.behaviour.enabled
        plan = self.controller.plan_day(
            HemsDay(
                homes.book, cycles, sessions, self.managed, ctx.prices, homes.tariff, ctx.step_h, self.rng,
                manual=response.responds, request=response.request,
                control=HemsControl.everything(homes.n) if everything else self.control,
            )
        )  # fmt: skip
        if self.per_agent:
            c, s = ctx.shared["cycles"], ctx.shared["sessions"]
            mine_c, mine_s = subset(c, own_c), subset(s, own_s)
            moved = plan_per_agent(self.per_agent, homes.book, mine_c, mine_s, ctx.prices, homes.tariff, ctx.step_h)
            plan = DayPlan(plan.cycle_start, plan.shifted_kwh + moved, plan.overrides)
        homes.running["shifted_kwh"] += plan.shifted_kwh
        ctx.shared["plan"] = plan
