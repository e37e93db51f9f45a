"""`[output]`: what a run writes beyond the standard tables, and the thresholds its KPIs use."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from market.spec import Spec


class OutputSpec(Spec):
    """Optional per-household series and the 'worse off' threshold."""

    household_series: Literal["none", "daily", "step"] = Field(
        "none",
        description="Per-household series in households.parquet (consenting households only): none, one row per "
        "household and day, or one per household and step (large: households × steps rows)",
    )
    household_series_max_mb: float = Field(
        2048.0,
        gt=0,
        le=1_000_000,
        description="Largest households.parquet table a run may build in memory [MB]; a larger request is refused "
        'before the run starts (use "daily", a shorter horizon or fewer households, or raise this limit)',
    )
    worse_off_eur_per_year: float = Field(
        5.0,
        ge=0,
        le=1000,
        description="A household is 'worse off' when its bill rises by more than this, pro rata for the run's "
        "length [€/year] (an assumption: a yearly amount, so a week's run and a year's agree)",
    )
