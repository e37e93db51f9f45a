"""Retail tariffs: what a household pays for each kWh at each time, chosen by `kind` from a registry.

Every tariff is an energy component plus a network component (both €/kWh) and a standing charge
(€/day). Prices are evaluated in bulk for a whole time index, so the engine never asks per step
and per household.
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from market.spec import Spec
from market.tariff_calendars import PRESETS, TouCalendar


class FlatTariff(Spec):
    """One price at all times."""

    kind: Literal["flat"] = "flat"
    energy_eur_per_kwh: float = Field(ge=0, le=10, description="Energy component [€/kWh]")
    network_eur_per_kwh: float = Field(0.0, ge=0, le=10, description="Network access component [€/kWh]")
    standing_eur_per_day: float = Field(0.0, ge=0, le=100, description="Standing charge [€/day]")
    source: str = Field("", description="Where the prices come from, or why they are assumed")

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Total price (energy + network) in force at each time."""
        return np.full(len(times), self.energy_eur_per_kwh + self.network_eur_per_kwh)


class TouTariff(Spec):
    """Time-of-use: a price per period of a calendar (a shipped preset by name, or windows written out)."""

    kind: Literal["tou"] = "tou"
    calendar: str | TouCalendar = Field(
        description=f"A preset name ({', '.join(PRESETS)}) or a calendar with windows"
    )
    energy_eur_per_kwh: dict[str, float] = Field(description="Energy component per period [€/kWh]")
    network_eur_per_kwh: dict[str, float] | float = Field(
        0.0, description="Network access component, one value or per period [€/kWh]"
    )
    standing_eur_per_day: float = Field(0.0, ge=0, le=100, description="Standing charge [€/day]")
    source: str = Field("", description="Where the prices come from, or why they are assumed")

    @model_validator(mode="after")
    def _periods_priced(self) -> TouTariff:
        if isinstance(self.calendar, str) and self.calendar not in PRESETS:
            raise ValueError(f"unknown calendar {self.calendar!r}; presets: {', '.join(PRESETS)}")
        periods = set(self.resolved_calendar.periods)
        components = [("energy_eur_per_kwh", self.energy_eur_per_kwh)]
        if isinstance(self.network_eur_per_kwh, dict):
            components.append(("network_eur_per_kwh", self.network_eur_per_kwh))
        for name, prices in components:
            if set(prices) != periods:
                raise ValueError(
                    f"{name} must price exactly the periods {sorted(periods)} (got {sorted(prices)})"
                )
            if any(not (0 <= p <= 10) for p in prices.values()):
                raise ValueError(f"{name} prices must be between 0 and 10 €/kWh")
        return self

    @property
    def resolved_calendar(self) -> TouCalendar:
        """The calendar itself, whether given by preset name or written out."""
        return PRESETS[self.calendar] if isinstance(self.calendar, str) else self.calendar

    def period_prices_eur_per_kwh(self) -> dict[str, float]:
        """Total price (energy + network) of each period."""
        net = self.network_eur_per_kwh
        return {p: e + (net[p] if isinstance(net, dict) else net) for p, e in self.energy_eur_per_kwh.items()}

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Total price in force at each time, from the period the calendar assigns."""
        calendar = self.resolved_calendar
        by_period = self.period_prices_eur_per_kwh()
        table = np.array([by_period[p] for p in calendar.periods])
        return table[calendar.period_index(times)]


TariffSpec = Annotated[FlatTariff | TouTariff, Field(discriminator="kind")]
TARIFF_KINDS: dict[str, type[Spec]] = {"flat": FlatTariff, "tou": TouTariff}


def peak_offpeak_ratio(prices_eur_per_kwh: np.ndarray) -> float:
    """Ratio of the highest to the lowest price over a series (1.0 for a flat tariff)."""
    low = float(np.min(prices_eur_per_kwh))
    return float(np.max(prices_eur_per_kwh)) / low if low > 0 else float("inf")
