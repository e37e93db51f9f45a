"""Retail tariffs: what a household pays for each kWh at each time, chosen by `kind` from a registry.

Every tariff is an energy component plus a network component (both €/kWh) and a standing charge
(€/day): the DSO's revenue is the network component, the retailer's the energy component and the
standing charge. Kinds: flat, ToU (`tariff_simple`), critical peak pricing (`tariff_cpp`) and
real-time prices from a CSV series (`tariff_dynamic`). Prices are evaluated in bulk for a whole
time index, so the engine never asks per step and per household.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import Field

from market.spec import Spec
from market.tariff_cpp import CppTariff
from market.tariff_dynamic import DynamicTariff
from market.tariff_simple import FlatTariff, TouTariff

__all__ = ["TARIFF_KINDS", "CppTariff", "DynamicTariff", "FlatTariff", "TariffSpec", "TouTariff"]

TariffSpec = Annotated[FlatTariff | TouTariff | CppTariff | DynamicTariff, Field(discriminator="kind")]
TARIFF_KINDS: dict[str, type[Spec]] = {"flat": FlatTariff, "tou": TouTariff, "cpp": CppTariff, "dynamic": DynamicTariff}


def components(
    tariff: FlatTariff | TouTariff | CppTariff | DynamicTariff,
    times: pd.DatetimeIndex,
    event_days: Collection[dt.date] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """(energy, network) price of `tariff` at each time [€/kWh]; `event_days` only matter for CPP."""
    if isinstance(tariff, CppTariff):
        return tariff.components(times, event_days)
    return tariff.components(times)


def peak_offpeak_ratio(prices_eur_per_kwh: np.ndarray) -> float:
    """Ratio of the highest to the lowest price over a series (1.0 for a flat tariff)."""
    low = float(np.min(prices_eur_per_kwh))
    return float(np.max(prices_eur_per_kwh)) / low if low > 0 else float("inf")
