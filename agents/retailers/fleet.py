"""Every retailer of a run: its portfolio of households (rows) and the tariff it sells them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from agents.controllers import ControllerError
from agents.fleet import DayContext, QuietFleet
from agents.retailers.controller import RetailerController, TariffPrices
from agents.retailers.spec import RetailerSpec


class RetailerFleet(QuietFleet):
    """The retailers, one row each: name, tariff, and which households they supply.

    Bills are the households' (`HouseholdFleet.bill_eur`); a retailer's revenue is its portfolio's sum.
    """

    kind = "retailers"

    def __init__(
        self,
        specs: Sequence[RetailerSpec],
        household_retailer: np.ndarray,
        controller: RetailerController | None = None,
    ) -> None:
        """`household_retailer`: each household's retailer row (drawn with the population)."""
        self.controller = controller if controller is not None else TariffPrices()
        self.specs = list(specs)
        self.n = len(self.specs)
        self.household_retailer = household_retailer
        self.portfolios = [np.flatnonzero(household_retailer == i) for i in range(self.n)]

    def start_day(self, day: int, ctx: DayContext) -> None:
        """Replace the day's prices in `ctx` by the retailers' signal (the shipped signal: the tariffs)."""
        signal = self.controller.price_signal(day, ctx.prices)
        if np.shape(signal) != ctx.prices.shape:
            raise ControllerError(
                f"{type(self.controller).__qualname__}.price_signal returned shape {np.shape(signal)}; "
                f"expected {ctx.prices.shape} (tariffs × steps of today and tomorrow)"
            )
        ctx.prices = np.asarray(signal, dtype=float)

    def revenue_eur(self, bill_eur: np.ndarray) -> np.ndarray:
        """What each retailer's customers have paid so far [€]."""
        return np.bincount(self.household_retailer, bill_eur, minlength=self.n)
