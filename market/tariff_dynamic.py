"""Real-time (dynamic) prices: an energy price series read from a CSV file, plus a fixed network component.

The file has a header `time,energy_eur_per_kwh` and one row per price change (local time, ISO
format, strictly increasing); blank lines and lines starting with `#` are skipped. A price holds
until the next row. Past the last row the series' last day repeats, so a run can plan past its
horizon; the scenario checks that the horizon itself is covered.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from market.errors import MarketError
from market.spec import Spec
from market.tariff_simple import Component, _factors

HEADER = ("time", "energy_eur_per_kwh")
PRICE_RANGE_EUR_PER_KWH = (-1.0, 10.0)  # wholesale prices can be negative; retail above 10 €/kWh is a typo


class PriceSeriesError(MarketError):
    """A price series file that cannot be read: the message names the file and the line."""


def parse_price_csv(text: str, source: str = "<prices>") -> pd.Series:
    """Parse CSV text into a price series (index: times, values: €/kWh), or raise `PriceSeriesError` naming the line."""
    lines = text.splitlines()
    rows: list[tuple[int, str]] = [
        (i, line.strip()) for i, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise PriceSeriesError(f"{source}: no header and no prices (expected a header {','.join(HEADER)})")
    header_line, header = rows[0]
    names = tuple(c.strip().lower() for c in header.split(","))
    if names != HEADER:
        raise PriceSeriesError(f"{source}, line {header_line}: header must be {','.join(HEADER)} (got {header!r})")
    times: list[dt.datetime] = []
    prices: list[float] = []
    for number, line in rows[1:]:
        when, price = _parse_row(line, f"{source}, line {number}")
        if times and when <= times[-1]:
            raise PriceSeriesError(f"{source}, line {number}: time {when} is not after the previous row's {times[-1]}")
        times.append(when)
        prices.append(price)
    if not times:
        raise PriceSeriesError(f"{source}: a header but no prices")
    return pd.Series(prices, index=pd.DatetimeIndex(times), name="energy_eur_per_kwh")


def _parse_row(line: str, where: str) -> tuple[dt.datetime, float]:
    cells = [c.strip() for c in line.split(",")]
    if len(cells) != 2:
        raise PriceSeriesError(f"{where}: expected 2 values (time, price), got {len(cells)}: {line!r}")
    try:
        when = dt.datetime.fromisoformat(cells[0])
    except ValueError:
        raise PriceSeriesError(f"{where}: {cells[0]!r} is not an ISO time such as 2016-01-11 18:00") from None
    if when.tzinfo is not None:
        raise PriceSeriesError(f"{where}: give local time without a UTC offset (got {cells[0]!r})")
    try:
        price = float(cells[1])
    except ValueError:
        raise PriceSeriesError(f"{where}: price {cells[1]!r} is not a number") from None
    low, high = PRICE_RANGE_EUR_PER_KWH
    if not math.isfinite(price) or not low <= price <= high:
        raise PriceSeriesError(f"{where}: price {cells[1]} €/kWh outside [{low:g}, {high:g}]")
    return when, price


def read_price_csv(path: Path) -> pd.Series:
    """Read a price series file (see the module docstring for its format)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PriceSeriesError(f"{path}: cannot read the price series: {exc}") from None
    return parse_price_csv(text, str(path))


def prices_at(series: pd.Series, times: pd.DatetimeIndex) -> np.ndarray:
    """The series' price in force at each time; after its end, the price at the same clock time on its last day."""
    index = series.index.to_numpy()
    t = times.to_numpy()
    if len(t) and t.min() < index[0]:
        raise PriceSeriesError(f"price series starts at {series.index[0]}, after {times.min()}")
    day = np.timedelta64(1, "D")
    last = index[-1]
    behind = np.where(t > last, np.ceil((t - last) / day), 0).astype(np.int64)
    pos = np.searchsorted(index, t - behind * day, side="right") - 1
    return series.to_numpy()[np.clip(pos, 0, None)]


class DynamicTariff(Spec):
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
