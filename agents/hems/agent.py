"""The HEMS agent: the home energy manager of one home, a view onto its row of the HEMS fleet."""

from __future__ import annotations

import mesa


class Hems(mesa.Agent):
    """A HEMS in one home: it moves the home's flexible load to the cheapest times its customer allows.

    Its plans are made for all HEMS at once by the fleet (`agents.hems.plan.plan_day`).
    """

    def __init__(self, model: mesa.Model, household: mesa.Agent) -> None:
        super().__init__(model)
        self.household = household
        self.row = household.row
