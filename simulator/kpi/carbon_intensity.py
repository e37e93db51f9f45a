"""`[carbon]`: the grid's carbon intensity on the run's steps, for the CO₂ KPIs.

A CSV series (`time,carbon_g_per_kwh`, docs/data/timeseries-csv.md), a constant, or the shipped yearly
average of the country the scenario's time zone names:
- Portugal: 86 g CO₂/kWh generated in 2023 (APREN, from ERSE and REN data: apren.pt, "renewable energies");
- France: 32 g CO₂eq/kWh generated in 2023 (RTE, bilan électrique 2023, analysesetdonnees.rte-france.com).
A yearly average hides the hour-to-hour swing that makes shifting load matter for CO₂; give a CSV for that.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field, ValidationInfo, field_validator

from market.spec import Spec
from market.timeseries_csv import Column, TimeSeriesCSVError, held_at, read_timeseries_csv
from simulator.errors import DataError

CARBON = Column("carbon_g_per_kwh", unit=" g/kWh", low=0, high=2000)
YEARLY_G_PER_KWH = {
    "Europe/Lisbon": (86.0, "Portugal 2023: 86 g CO2/kWh generated (APREN from ERSE/REN data)"),
    "Europe/Paris": (32.0, "France 2023: 32 g CO2eq/kWh generated (RTE, bilan électrique 2023)"),
}


class CarbonSpec(Spec):
    """Where the grid's carbon intensity comes from."""

    g_per_kwh: float | None = Field(
        None, ge=0, le=2000, description="A constant intensity [g CO₂/kWh]; empty: the file or the country's mean"
    )
    file: Path | None = Field(None, description="CSV time,carbon_g_per_kwh (relative to the scenario file)")
    source: str = Field("", description="Where a constant or the file comes from")

    @field_validator("file")
    @classmethod
    def _relative(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        base = (info.context or {}).get("base_dir")
        return v if v is None or v.is_absolute() or base is None else Path(base) / v


def intensity_on_steps(spec: CarbonSpec, timezone: str, times: pd.DatetimeIndex) -> tuple[np.ndarray | None, str]:
    """Carbon intensity at each step [g/kWh] and where it comes from (None: no intensity for this place)."""
    if spec.file is not None:
        try:
            frame = read_timeseries_csv(spec.file, [CARBON], offsets="forbidden")
        except TimeSeriesCSVError as exc:
            raise DataError(f"carbon: {exc}") from exc
        return held_at(frame[CARBON.name], times), spec.source or f"file {spec.file}"
    if spec.g_per_kwh is not None:
        return np.full(len(times), spec.g_per_kwh), spec.source or "[carbon] g_per_kwh (no source given)"
    if timezone in YEARLY_G_PER_KWH:
        value, source = YEARLY_G_PER_KWH[timezone]
        return np.full(len(times), value), source
    return None, ""
