"""Contracted power: the kVA level each household pays for, and the meter's power-control switch that enforces it.

Portugal's low-voltage (BTN) levels run from 1.15 to 41.4 kVA; 3.45 kVA covers about 45 % of
clients and 6.9 kVA about 25 % (ERSE figures via pplware 2023; intermediate levels not verified,
../shared/DOMAIN.md). Drawing more than the contracted power trips the meter's switch
(tudoluzegas.pt): the home is without power until someone resets it.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from market.spec import Spec

MAX_LEVEL_KVA = 1000.0  # ten times the largest BTN level, for tertiary connections (assumption)
PT_LEVELS_KVA = (1.15, 2.3, 3.45, 4.6, 5.75, 6.9, 10.35, 13.8, 17.25, 20.7, 27.6, 34.5, 41.4)


class ContractedPowerSpec(Spec):
    """Which kVA level each home contracts, what it costs, and whether the meter enforces it."""

    enforce: bool = Field(False, description="Meters trip when a home draws more than its contracted power")
    levels_kva: tuple[Annotated[float, Field(gt=0, le=MAX_LEVEL_KVA)], ...] = Field(
        PT_LEVELS_KVA, min_length=1, description="Contractable levels (ERSE BTN levels) [kVA]"
    )
    margin: float = Field(
        1.0, gt=0, le=3, description="Homes contract the smallest level ≥ margin × their likely peak (assumption) [-]"
    )
    standing_eur_per_kva_day: float = Field(
        0.0, ge=0, le=10, description="Power charge per contracted kVA, added to the standing charge [€/kVA/day]"
    )

    @model_validator(mode="after")
    def _sorted(self) -> ContractedPowerSpec:
        if not self.levels_kva or list(self.levels_kva) != sorted(self.levels_kva) or self.levels_kva[0] <= 0:
            raise ValueError("levels_kva must be positive and increasing")
        return self

    def assign(self, likely_peak_kva: np.ndarray) -> np.ndarray:
        """Contracted level of each home: the smallest that covers margin × its likely peak (else the largest)."""
        levels = np.asarray(self.levels_kva)
        pos = np.searchsorted(levels, self.margin * likely_peak_kva, side="left")
        return levels[np.minimum(pos, len(levels) - 1)]


def trips(import_kw: np.ndarray, power_factor: float, contracted_kva: np.ndarray) -> np.ndarray:
    """True where a home's apparent power drawn from the grid exceeds its contracted kVA (its switch trips)."""
    return import_kw / power_factor > contracted_kva + 1e-9
