"""Real-time (dynamic) prices: an energy price series read from a CSV file, plus a fixed network component.

The file follows the time-series CSV convention (`market.timeseries_csv`): a header
`time,energy_eur_per_kwh` and one row per price change (local time without a UTC offset, ISO format,
strictly increasing); blank lines and lines starting with `#` are skipped. A price holds until the next
row. Past the last row the series' last day repeats, so a run can plan past its horizon; the scenario
checks that the horizon itself is covered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from market.tariff_export import ExportPriced
from market.tariff_simple import Component, _factors
from market.timeseries_csv import Column, TimeSeriesCSVError, held_at, parse_timeseries_csv, read_timeseries_csv

PRICE_RANGE_EUR_PER_KWH = (-1.0, 10.0)  # wholesale prices can be negative; retail above 10 €/kWh is a typo
PRICE_COLUMN = Column(
    "energy_eur_per_kwh", label="price", unit="€/kWh", low=PRICE_RANGE_EUR_PER_KWH[0], high=PRICE_RANGE_EUR_PER_KWH[1]
)


class PriceSeriesError(TimeSeriesCSVError):
    """A price series file that cannot be read: the message names the file and the line."""


def parse_price_csv(text: str, source: str = "<prices>") -> pd.Series:
    """Parse CSV text into a price series (index: times, values: €/kWh), or raise `PriceSeriesError` naming the line."""
    frame = parse_timeseries_csv(text, [PRICE_COLUMN], source=source, offsets="forbidden", error=PriceSeriesError)
    series = frame[PRICE_COLUMN.name]
    series.index.name = None
    return series


def read_price_csv(path: Path) -> pd.Series:
    """Read a price series file (see the module docstring for its format)."""
    frame = read_timeseries_csv(path, [PRICE_COLUMN], offsets="forbidden", error=PriceSeriesError)
    series = frame[PRICE_COLUMN.name]
    series.index.name = None
    return series


def prices_at(series: pd.Series, times: pd.DatetimeIndex) -> np.ndarray:
    """The series' price in force at each time; after its end, the price at the same clock time on its last day."""
    if len(times) and times.min() < series.index[0]:
        raise PriceSeriesError(f"price series starts at {series.index[0]}, after {times.min()}")
    return held_at(series, times, repeat_last_day=True)


class DynamicTariff(ExportPriced):
    """A real-time price: the energy component from a CSV series (× `energy_scale`), a fixed network component."""

    kind: Literal["dynamic"] = "dynamic"
    csv: Path = Field(description="CSV file with header time,energy_eur_per_kwh (relative to the scenario file)")
    energy_scale: float = Field(1.0, gt=0, le=100, description="Multiplier on the file's energy prices [-]")
    network_eur_per_kwh: float = Field(0.0, ge=0, le=10, description="Network access component [€/kWh]")
    standing_eur_per_day: float = Field(0.0, ge=0, le=100, description="Standing charge [€/day]")
    source: str = Field("", description="Where the prices come from, or why they are assumed")
    _series: pd.Series = PrivateAttr()

    @field_validator("csv")
    @classmethod
    def _resolve(cls, v: Path, info: ValidationInfo) -> Path:
        base = (info.context or {}).get("base_dir")
        return (Path(base) / v).resolve() if base is not None and not v.is_absolute() else v

    @model_validator(mode="after")
    def _load(self) -> DynamicTariff:
        try:
            self._series = read_price_csv(self.csv)
        except PriceSeriesError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def series(self) -> pd.Series:
        """The file's energy prices (before `energy_scale`) [€/kWh]."""
        return self._series

    def covers(self, start: dt.datetime, end: dt.datetime) -> bool:
        """True when the series starts at or before `start` and its last row is after `end` minus a day."""
        return self._series.index[0] <= start and self._series.index[-1] > end - dt.timedelta(days=1)

    def components(self, times: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Energy and network price in force at each time [€/kWh]."""
        return prices_at(self._series, times) * self.energy_scale, np.full(len(times), self.network_eur_per_kwh)

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Total price in force at each time."""
        energy, network = self.components(times)
        return energy + network

    def scaled(self, factor: float, component: Component = "total") -> DynamicTariff:
        """The same tariff with `component` prices multiplied by `factor`."""
        e, n = _factors(component, factor)
        copy = self.model_copy(
            update={"energy_scale": self.energy_scale * e, "network_eur_per_kwh": self.network_eur_per_kwh * n}
        )
        copy._series = self._series
        return copy
