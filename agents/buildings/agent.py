"""The building agent: a tertiary building, a view onto its row of the building fleet's arrays."""

from __future__ import annotations

import mesa

from agents.buildings.spec import BuildingSpec


class Building(mesa.Agent):
    """A tertiary building: its load, PV and chargers live in the building fleet's arrays at `row`."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def spec(self) -> BuildingSpec:
        """Its scenario entry."""
        return self.model.fleet["buildings"].specs[self.row]

    @property
    def load_kw(self) -> float:
        """Its load in the last step [kW]."""
        return float(self.model.fleet["buildings"].load_kw[self.row])
