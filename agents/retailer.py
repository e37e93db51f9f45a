"""The retailer agent: its portfolio of customers, the tariff it sells them, and their bills."""

from __future__ import annotations

import mesa
import numpy as np


class Retailer(mesa.Agent):
    """A retailer supplying the households in `portfolio` (rows) on one tariff."""

    def __init__(self, model: mesa.Model, name: str, tariff: str, portfolio: np.ndarray) -> None:
        super().__init__(model)
        self.name = name
        self.tariff = tariff
        self.portfolio = portfolio

    @property
    def revenue_eur(self) -> float:
        """What its customers have paid so far [€]."""
        return float(self.model.bill_eur[self.portfolio].sum())
