"""What a tariff pays for the energy a home exports (rooftop PV surplus): a feed-in price or net metering.

`export_eur_per_kwh` is a fixed feed-in price [€/kWh] (0 by default: surplus given away), or
"net_metering": each exported kWh is credited at the import price of its step.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from market.spec import EurPerKwh, Spec


class ExportPriced(Spec):
    """The export price field every tariff kind carries."""

    export_eur_per_kwh: EurPerKwh | Literal["net_metering"] = Field(
        0.0,
        description="Paid for each exported kWh: a feed-in price [€/kWh] (0: not paid), or 'net_metering' "
        "(credited at the step's import price)",
    )

    def export_prices(self, import_prices_eur_per_kwh: np.ndarray) -> np.ndarray:
        """The export price at each step, given the tariff's import prices at the same steps [€/kWh]."""
        if self.export_eur_per_kwh == "net_metering":
            return np.asarray(import_prices_eur_per_kwh, dtype=float).copy()
        return np.full(len(import_prices_eur_per_kwh), float(self.export_eur_per_kwh))

    @field_validator("export_eur_per_kwh")
    @classmethod
    def _in_range(cls, v: float | str) -> float | str:
        if not isinstance(v, str) and not 0 <= v <= 10:
            raise ValueError(f"must be a price in [0, 10] €/kWh or 'net_metering' (got {v})")
        return v
