"""Every retailer of a run: its portfolio of households (rows) and the tariff it sells them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agents.fleet import QuietFleet
from agents.retailers.spec import RetailerSpec


class RetailerFleet(QuietFleet):
    """The retailers, one row each: name, tariff, and which households they supply.

    Bills are the households' (`HouseholdFleet.bill_eur`); a retailer's revenue is its portfolio's sum.
    """

    kind = "retailers"

    def __init__(self, specs: Sequence[RetailerSpec], household_retailer: np.ndarray) -> None:
        """`household_retailer`: each household's retailer row (drawn with the population)."""
        self.specs = list(specs)
        self.n = len(self.specs)
        self.household_retailer = household_retailer
        self.portfolios = [np.flatnonzero(household_retailer == i) for i in range(self.n)]

    def revenue_eur(self, bill_eur: np.ndarray) -> np.ndarray:
        """What each retailer's customers have paid so far [€]."""
        return np.bincount(self.household_retailer, bill_eur, minlength=self.n)
