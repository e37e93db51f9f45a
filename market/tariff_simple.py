"""Flat and time-of-use tariffs: an energy and a network component (€/kWh) and a standing charge (€/day).

Prices are evaluated in bulk for a whole time index, so the engine never asks per step and per
household. Every kind answers `components(times)` with its (energy, network) price series.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from market.spec import EurPerKwh
from market.tariff_calendars import PRESETS, TouCalendar
from market.tariff_export import ExportPriced

Component = Literal["total", "energy", "network"]


def _factors(component: Component, factor: float) -> tuple[float, float]:
    """Multipliers of the (energy, network) components when scaling `component` by `factor`."""
    return {"total": (factor, factor), "energy": (factor, 1.0), "network": (1.0, factor)}[component]


class FlatTariff(ExportPriced):
    """One price at all times."""

    kind: Literal["flat"] = "flat"
    energy_eur_per_kwh: float = Field(ge=0, le=10, description="Energy component [€/kWh]")
    network_eur_per_kwh: float = Field(0.0, ge=0, le=10, description="Network access component [€/kWh]")
    standing_eur_per_day: float = Field(0.0, ge=0, le=100, description="Standing charge [€/day]")
    source: str = Field("", description="Where the prices come from, or why they are assumed")

    def components(self, times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Energy and network price in force at each time [€/kWh]."""
        n = len(times)
        return np.full(n, self.energy_eur_per_kwh), np.full(n, self.network_eur_per_kwh)

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Total price (energy + network) in force at each time."""
        return np.full(len(times), self.energy_eur_per_kwh + self.network_eur_per_kwh)

    def scaled(self, factor: float, component: Component = "total") -> FlatTariff:
        """The same tariff with `component` prices multiplied by `factor` (standing charge unchanged)."""
        e, n = _factors(component, factor)
        return self.model_copy(
            update={
                "energy_eur_per_kwh": self.energy_eur_per_kwh * e,
                "network_eur_per_kwh": self.network_eur_per_kwh * n,
            }
        )


class TouTariff(ExportPriced):
    """Time-of-use: a price per period of a calendar (a shipped preset by name, or windows written out)."""

    kind: Literal["tou"] = "tou"
    calendar: str | TouCalendar = Field(description=f"A preset name ({', '.join(PRESETS)}) or a calendar with windows")
    energy_eur_per_kwh: dict[str, EurPerKwh] = Field(description="Energy component per period [€/kWh]")
    network_eur_per_kwh: dict[str, EurPerKwh] | EurPerKwh = Field(
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
        elif not (0 <= self.network_eur_per_kwh <= 10):
            raise ValueError("network_eur_per_kwh must be between 0 and 10 €/kWh")
        for name, prices in components:
            if set(prices) != periods:
                raise ValueError(f"{name} must price exactly the periods {sorted(periods)} (got {sorted(prices)})")
            if any(not (0 <= p <= 10) for p in prices.values()):
                raise ValueError(f"{name} prices must be between 0 and 10 €/kWh")
        return self

    @property
    def resolved_calendar(self) -> TouCalendar:
        """The calendar itself, whether given by preset name or written out."""
        return PRESETS[self.calendar] if isinstance(self.calendar, str) else self.calendar

    def network_by_period(self) -> dict[str, float]:
        """Network component of each period [€/kWh]."""
        net = self.network_eur_per_kwh
        return {p: net[p] if isinstance(net, dict) else net for p in self.energy_eur_per_kwh}

    def period_prices_eur_per_kwh(self) -> dict[str, float]:
        """Total price (energy + network) of each period."""
        net = self.network_by_period()
        return {p: e + net[p] for p, e in self.energy_eur_per_kwh.items()}

    def components(self, times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Energy and network price in force at each time, from the period the calendar assigns [€/kWh]."""
        calendar = self.resolved_calendar
        index = calendar.period_index(times)
        net = self.network_by_period()
        energy = np.array([self.energy_eur_per_kwh[p] for p in calendar.periods])
        network = np.array([net[p] for p in calendar.periods])
        return energy[index], network[index]

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Total price in force at each time, from the period the calendar assigns."""
        energy, network = self.components(times)
        return energy + network

    def scaled(self, factor: float, component: Component = "total") -> TouTariff:
        """The same tariff with `component` prices multiplied by `factor` (standing charge unchanged)."""
        e, n = _factors(component, factor)
        net = self.network_eur_per_kwh
        return self.model_copy(
            update={
                "energy_eur_per_kwh": {p: v * e for p, v in self.energy_eur_per_kwh.items()},
                "network_eur_per_kwh": {p: v * n for p, v in net.items()} if isinstance(net, dict) else net * n,
            }
        )
