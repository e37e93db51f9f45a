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
from typing import Annotated, Any, Union

import numpy as np
import pandas as pd
from pydantic import Field

from market.spec import Spec
from market.tariff_cpp import CppTariff
from market.tariff_dynamic import DynamicTariff
from market.tariff_simple import FlatTariff, TouTariff

__all__ = ["TARIFF_KINDS", "CppTariff", "DynamicTariff", "FlatTariff", "TariffSpec", "TouTariff", "tariff_kind"]

# The one registry of tariff kinds: the scenario schema (`TariffSpec`), the designer and the GUI read it.
# A new kind is a Spec with `kind: Literal["name"]` and a `components(times)` method, added here once.
TARIFF_KINDS: dict[str, type[Spec]] = {
    cls.model_fields["kind"].default: cls for cls in (FlatTariff, TouTariff, CppTariff, DynamicTariff)
}
TariffSpec = Annotated[Union[tuple(TARIFF_KINDS.values())], Field(discriminator="kind")]  # noqa: UP007


def tariff_kind(name: str) -> type[Spec]:
    """The tariff class registered as `name`; a `ValueError` naming the known kinds otherwise."""
    try:
        return TARIFF_KINDS[name]
    except (KeyError, TypeError):
        raise ValueError(f"{name!r} is not a tariff kind; known: {', '.join(TARIFF_KINDS)}") from None


def tariff_from_dict(data: dict[str, Any]) -> Spec:
    """A tariff from its table (as in a scenario file), validated by the class its `kind` names."""
    return tariff_kind(data.get("kind", "")).model_validate(data)


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
