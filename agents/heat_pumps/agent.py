"""The heat-pump agent: one home's heat pump and house, a view onto its row of the heat-pump fleet's arrays."""

from __future__ import annotations

import mesa


class HeatPump(mesa.Agent):
    """A heat pump heating one household's home (`model.agents_by_type[HeatPump]`)."""

    def __init__(self, model: mesa.Model, household: mesa.Agent, index: int) -> None:
        super().__init__(model)
        self.household = household
        self.row = household.row
        self.index = index  # its position in the fleet's arrays

    @property
    def indoor_c(self) -> float:
        """Indoor temperature now [°C]."""
        return float(self.model.fleet["heat_pumps"].indoor_c[self.index])

    @property
    def power_kw(self) -> float:
        """Electric power in the last step [kW]."""
        return float(self.model.fleet["heat_pumps"].electric_kw[self.index])
