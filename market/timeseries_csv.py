"""One CSV convention for every time series cityflex reads: prices, carbon intensity, weather, meter data.

The format (the user's page is `docs/data/timeseries-csv.md`):

- UTF-8 text, comma-separated, one header line. Blank lines and lines starting with `#` are skipped:
  put the source of the numbers in a `#` line at the top.
- The first column is `time` (in the long layout of meter data, `meter_id` comes first and the time column
  is called `timestamp`, City-zen's one format for every provider, seed 003).
- A time is ISO 8601 (`2016-01-11 18:00`, `2016-01-11T18:00:00+01:00`) and marks the *start* of what the
  row describes. Either every row carries a UTC offset (absolute instants) or none does (the scenario's
  local clock time); each kind of series says which it takes (`offsets`).
- Times strictly increase down the file.
- One column per quantity, its unit in its name (`energy_eur_per_kwh`, `carbon_g_per_kwh`,
  `temperature_c`, `ghi_w_per_m2`, `energy_kwh`); a decimal point, no thousands separator; every value
  finite and inside the column's documented range. An empty cell is missing and an error unless the
  column allows gaps.
- A *level* (a price, an intensity, a temperature) holds from its time until the next row (`held_at`);
  an *amount* (`energy_kwh`) is the total over the interval that starts at its time.

Every error names the file, the line, the column, the value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from market.errors import MarketError
from market.input_file import InputFileError, read_input

CSV_LIMIT_BYTES = 200 * 1024 * 1024  # a price or time-series file read whole (a year of 1-minute rows is ~20 MB)

Offsets = Literal["forbidden", "required", "either"]
UTC_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$")
TIME_COLUMN = "time"


class TimeSeriesCSVError(MarketError):
    """A time-series CSV that breaks the convention: the message names the file, the line and the value."""


@dataclass(frozen=True)
class Column:
    """One value column: its header name, what to call it in messages, its unit and allowed range."""

    name: str
    label: str = ""
    unit: str = ""
    low: float = -math.inf
    high: float = math.inf
    gaps_allowed: bool = False

    def describe(self) -> str:
        """The column's name in messages."""
        return self.label or self.name


def read_timeseries_csv(
    path: Path, columns: Sequence[Column], *, offsets: Offsets = "forbidden", error: type[Exception] | None = None
) -> pd.DataFrame:
    """Read a file that follows the convention; see `parse_timeseries_csv`."""
    error = error or TimeSeriesCSVError
    try:
        text = read_input(path, limit_bytes=CSV_LIMIT_BYTES).decode("utf-8")
    except InputFileError as exc:
        raise error(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the time series: {exc}") from None
    return parse_timeseries_csv(text, columns, source=str(path), offsets=offsets, error=error)


def parse_timeseries_csv(
    text: str,
    columns: Sequence[Column],
    *,
    source: str = "<csv>",
    offsets: Offsets = "forbidden",
    error: type[Exception] | None = None,
) -> pd.DataFrame:
    """Parse CSV text into a frame indexed by `time`, one float column per `columns`, or raise naming the line.

    `offsets` says whether times must carry a UTC offset ("required": a UTC index), must not ("forbidden":
    local clock time, a naive index) or may, consistently through the file ("either"). `error` is the
    exception class to raise (a subclass of `TimeSeriesCSVError` for a specific series).
    """
    error = error or TimeSeriesCSVError
    rows = [(i, line.strip()) for i, line in enumerate(text.splitlines(), start=1)]
    rows = [(i, line) for i, line in rows if line and not line.startswith("#")]
    expected = (TIME_COLUMN, *(c.name for c in columns))
    if not rows:
        raise error(f"{source}: no header and no rows (expected a header {','.join(expected)})")
    header_line, header = rows[0]
    if tuple(c.strip().lower() for c in header.split(",")) != expected:
        raise error(f"{source}, line {header_line}: header must be {','.join(expected)} (got {header!r})")
    if len(rows) == 1:
        raise error(f"{source}: a header but no rows")
    times: list[dt.datetime] = []
    values = np.empty((len(rows) - 1, len(columns)))
    for k, (number, line) in enumerate(rows[1:]):
        where = f"{source}, line {number}"
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(expected):
            raise error(f"{where}: expected {len(expected)} values ({', '.join(expected)}), got {len(cells)}: {line!r}")
        when = _parse_time(cells[0], where, offsets, error)
        if times and (when.tzinfo is None) != (times[0].tzinfo is None):
            raise error(f"{where}: {cells[0]!r}: give every time with a UTC offset or none (line {rows[1][0]} differs)")
        if times and when <= times[-1]:
            raise error(f"{where}: time {when} is not after the previous row's {times[-1]}")
        times.append(when)
        for j, column in enumerate(columns):
            values[k, j] = _parse_value(cells[j + 1], column, where, error)
    index = pd.DatetimeIndex(times, name=TIME_COLUMN)
    if index.tz is not None:
        index = index.tz_convert("UTC")
    return pd.DataFrame(values, index=index, columns=[c.name for c in columns])


def _parse_time(cell: str, where: str, offsets: Offsets, error: type[Exception]) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(cell)
    except ValueError:
        raise error(f"{where}: {cell!r} is not an ISO time such as 2016-01-11 18:00") from None
    if offsets == "forbidden" and when.tzinfo is not None:
        raise error(f"{where}: give local time without a UTC offset (got {cell!r})")
    if offsets == "required" and when.tzinfo is None:
        raise error(f"{where}: give the time with a UTC offset such as 2016-01-11T18:00:00+00:00 (got {cell!r})")
    return when


def _parse_value(cell: str, column: Column, where: str, error: type[Exception]) -> float:
    name = column.describe()
    if cell == "" and column.gaps_allowed:
        return math.nan
    try:
        value = float(cell)
    except ValueError:
        raise error(f"{where}: {name} {cell!r} is not a number") from None
    if not math.isfinite(value) or not column.low <= value <= column.high:
        unit = f" {column.unit}" if column.unit else ""
        raise error(f"{where}: {name} {cell}{unit} outside [{column.low:g}, {column.high:g}]")
    return value


def held_at(series: pd.Series, times: pd.DatetimeIndex, *, repeat_last_day: bool = True) -> np.ndarray:
    """The level in force at each time (a row holds until the next); `times` must not start before the series.

    After the last row, with `repeat_last_day`, the value at the same clock time on the series' last day
    (so a run can plan past its horizon); otherwise the last value holds.
    """
    index = series.index.to_numpy()
    t = times.to_numpy()
    if len(t) and t.min() < index[0]:
        raise TimeSeriesCSVError(f"series {series.name!r} starts at {series.index[0]}, after {times.min()}")
    behind = np.zeros(len(t), dtype=np.int64)
    if repeat_last_day:
        day = np.timedelta64(1, "D")
        behind = np.where(t > index[-1], np.ceil((t - index[-1]) / day), 0).astype(np.int64)
        t = t - behind * day
    pos = np.searchsorted(index, t, side="right") - 1
    return series.to_numpy()[np.clip(pos, 0, None)]
