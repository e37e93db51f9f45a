"""Revenue-neutral tariff design: price a ToU, CPP or dynamic option so it earns what the current tariff earns.

UPGRID's third step (seed 001): on the households' baseline consumption, the new tariff must
recover the same revenue as the current one, so customers save only by shifting and lowering
their peak. The option's price shape (its ratios) is kept; one factor scales the chosen
component, solved in closed form because revenue is linear in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from market.errors import MarketError
from market.tariff_cpp import CppTariff
from market.tariff_dynamic import DynamicTariff
from market.tariff_simple import Component, FlatTariff, TouTariff
from market.tariffs import components

Tariff = FlatTariff | TouTariff | CppTariff | DynamicTariff


class TariffDesignError(MarketError):
    """The option cannot be made revenue-neutral (e.g. it prices nothing the households consume)."""


@dataclass(frozen=True)
class RevenueNeutralDesign:
    """The designed tariff, the factor applied to the option's prices, and the revenues it balances."""

    tariff: Tariff
    factor: float
    component: Component
    current_revenue_eur: float
    new_revenue_eur: float
    prices_eur_per_kwh: dict[str, float]

    def summary(self) -> str:
        """One line: the prices chosen and the revenue they recover."""
        shown = ", ".join(f"{k} {v:.4f}" for k, v in self.prices_eur_per_kwh.items())
        return (
            f"{self.component} prices × {self.factor:.4f}: {shown} €/kWh; "
            f"baseline revenue {self.new_revenue_eur:.2f} € (current tariff {self.current_revenue_eur:.2f} €)"
        )


def revenue_eur(
    tariff: Tariff,
    times: pd.DatetimeIndex,
    consumption_kwh: np.ndarray,
    *,
    households: int,
    days: int,
    event_days: Collection[dt.date] = (),
    component: Component = "total",
) -> float:
    """What `consumption_kwh` (per step, summed over households) pays under `tariff`; `total` adds standing charges."""
    energy, network = components(tariff, times, event_days)
    price = {"total": energy + network, "energy": energy, "network": network}[component]
    standing = tariff.standing_eur_per_day * households * days if component == "total" else 0.0
    return float(np.dot(consumption_kwh, price) + standing)


def design_revenue_neutral(
    current: Tariff,
    option: Tariff,
    times: pd.DatetimeIndex,
    consumption_kwh: np.ndarray,
    *,
    households: int,
    days: int,
    event_days: Collection[dt.date] = (),
    component: Component = "total",
) -> RevenueNeutralDesign:
    """Scale `option`'s `component` prices so that baseline revenue of that component equals `current`'s."""
    kw = {"households": households, "days": days, "component": component}
    target = revenue_eur(current, times, consumption_kwh, **kw)
    fixed = revenue_eur(option.scaled(0.0, component), times, consumption_kwh, event_days=event_days, **kw)
    variable = revenue_eur(option, times, consumption_kwh, event_days=event_days, **kw) - fixed
    if variable <= 0:
        raise TariffDesignError(f"the option's {component} prices earn nothing on the baseline consumption")
    factor = (target - fixed) / variable
    if factor < 0:
        raise TariffDesignError(
            f"standing charges and fixed components alone exceed the current revenue ({fixed:.2f} > {target:.2f} €)"
        )
    designed = option.scaled(factor, component)
    achieved = revenue_eur(designed, times, consumption_kwh, event_days=event_days, **kw)
    return RevenueNeutralDesign(designed, factor, component, target, achieved, price_table(designed))


def price_table(tariff: Tariff) -> dict[str, float]:
    """The tariff's total prices by period ('critical' for CPP's window; the mean for a dynamic series) [€/kWh]."""
    if isinstance(tariff, FlatTariff):
        return {"all hours": tariff.energy_eur_per_kwh + tariff.network_eur_per_kwh}
    if isinstance(tariff, TouTariff):
        return tariff.period_prices_eur_per_kwh()
    if isinstance(tariff, CppTariff):
        return {
            **price_table(tariff.base),
            "critical": tariff.critical_energy_eur_per_kwh + tariff.critical_network_eur_per_kwh,
        }
    return {"mean": float(tariff.series.mean() * tariff.energy_scale + tariff.network_eur_per_kwh)}
