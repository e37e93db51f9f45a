"""The retailer agent: its portfolio of customers, the tariff it sells them, and their bills (a view, no copies)."""

from __future__ import annotations

import mesa
import numpy as np


class Retailer(mesa.Agent):
    """A retailer supplying the households of its portfolio on one tariff; row `row` of the retailer fleet."""

    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def name(self) -> str:
        """Its name in the scenario."""
        return self.model.fleet["retailers"].specs[self.row].name

    @property
    def tariff(self) -> str:
        """The tariff it sells (a name in [tariffs])."""
        return self.model.fleet["retailers"].specs[self.row].tariff

    @property
    def portfolio(self) -> np.ndarray:
        """Rows of the households it supplies."""
        return self.model.fleet["retailers"].portfolios[self.row]

    @property
    def revenue_eur(self) -> float:
        """What its customers have paid so far [€]."""
        return float(self.model.fleet["households"].bill_eur[self.portfolio].sum())
