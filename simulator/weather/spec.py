"""`[weather]`: where the sun and the temperature come from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from market.spec import Spec


class WeatherSpec(Spec):
    """The weather source for PV (and electric heating, where a file gives the temperature)."""

    source: Literal["stochastic", "csv", "epw"] = Field(
        "stochastic",
        description="stochastic: a daily clear-sky index drawn around the month's mean irradiation (offline "
        "default); csv: time,ghi_w_per_m2,temperature_c (measured or typical year); epw: an EnergyPlus weather file",
    )
    file: Path | None = Field(None, description="The CSV or EPW file (relative to the scenario file)")
    # ≤ 12 kWh/m²/day: above the daily irradiation at the top of the atmosphere anywhere (~11.9 at a polar solstice)
    monthly_ghi_kwh_m2_day: tuple[Annotated[float, Field(ge=0, le=12)], ...] | None = Field(
        None,
        description="Mean daily global horizontal irradiation of each month, January first [kWh/m²/day]; "
        "empty: the shipped table of the nearest place within 100 km (simulator/weather/monthly.py)",
    )
    clear_sky_index_concentration: float = Field(
        4.0, gt=0.5, le=100,
        description="Beta-distribution concentration of the daily clear-sky index (lower = more varied days; "
        "assumption) [-]",
    )  # fmt: skip
    day_to_day_correlation: float = Field(
        0.3, ge=0, lt=1, description="Lag-1 correlation of the daily clear-sky index (spells of weather; assumption)"
    )
    performance_ratio: float = Field(
        0.86, gt=0, le=1,
        description="AC output / (plane-of-array irradiance × kWp / 1 kW/m²): PVGIS's default 14 % system loss [-]",
    )  # fmt: skip

    @field_validator("monthly_ghi_kwh_m2_day")
    @classmethod
    def _twelve(cls, v: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if v is not None and (len(v) != 12 or not all(0 < x < 12 for x in v)):
            raise ValueError(f"give 12 monthly means in (0, 12) kWh/m²/day, January first (got {list(v)})")
        return v

    @field_validator("file")
    @classmethod
    def _relative(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        base = (info.context or {}).get("base_dir")
        if v is None or v.is_absolute() or base is None:
            return v
        return Path(base) / v

    @model_validator(mode="after")
    def _file_for_files(self) -> WeatherSpec:
        if self.source != "stochastic" and self.file is None:
            raise ValueError(f"source {self.source!r} needs a file")
        if self.file is not None and not self.file.exists():
            raise ValueError(f"file {self.file} not found")
        return self
