"""The electric vehicle agent: a car charged at its household's home charger."""

from __future__ import annotations

import mesa


class ElectricVehicle(mesa.Agent):
    """An EV charged at home; its sessions are drawn daily and its charging lives in the model's arrays."""

    def __init__(self, model: mesa.Model, household: mesa.Agent) -> None:
        super().__init__(model)
        self.household = household
        self.row = household.row

    @property
    def charger_kw(self) -> float:
        """Power of its home charger [kW]."""
        return float(self.model.fleet["evs"].charger_kw[self.row])
