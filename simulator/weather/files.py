"""Measured or typical-year weather files: CSV in cityflex's time-series convention, or EnergyPlus EPW.

CSV: `time,ghi_w_per_m2,temperature_c` (docs/data/timeseries-csv.md), each row's level held until the
next. EPW: read by pvlib offline; a typical year is mapped onto the run by month, day and clock time, its
hourly values (the hour *ending* at the time stamp) taken at the middle of their hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from market.timeseries_csv import Column, TimeSeriesCSVError, held_at, read_timeseries_csv
from simulator.errors import DataError
from simulator.weather.spec import WeatherSpec

GHI = Column("ghi_w_per_m2", unit=" W/m²", low=0, high=1500)
TEMPERATURE = Column("temperature_c", unit=" °C", low=-60, high=60)


def read_weather_file(spec: WeatherSpec, points: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series]:
    """GHI and air temperature at `points` (local clock times), and each day's mean temperature in the file.

    The daily means cover every day of the file, so a month's heating degree-days are the file's, not the run's.
    """
    try:
        if spec.source == "csv":
            frame = read_timeseries_csv(spec.file, [GHI, TEMPERATURE], offsets="forbidden")
            at = pd.DataFrame({c: held_at(frame[c], points) for c in (GHI.name, TEMPERATURE.name)})
            return at, frame[TEMPERATURE.name].groupby(frame.index.normalize()).mean()
        return _epw_at(spec, points)
    except TimeSeriesCSVError as exc:
        raise DataError(f"weather: {exc}") from exc


def _epw_at(spec: WeatherSpec, points: pd.DatetimeIndex) -> tuple[pd.DataFrame, pd.Series]:
    import pvlib

    try:
        data, _ = pvlib.iotools.read_epw(str(spec.file), coerce_year=2001)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise DataError(f"weather: {spec.file}: not a readable EPW file: {exc}") from exc
    if len(data) < 8760:
        raise DataError(f"weather: {spec.file}: an EPW file has 8,760 hourly rows (got {len(data)})")
    middle = data.index.tz_localize(None) - pd.Timedelta(minutes=30)  # the hour ending at the stamp, at its middle
    daily = data["temp_air"].groupby(pd.DatetimeIndex(middle).normalize()).mean()
    hour_of_year = _hour_of_typical_year(pd.DatetimeIndex(middle))
    order = np.argsort(hour_of_year)
    wanted = _hour_of_typical_year(points)
    out = {}
    for column, name in (("ghi", GHI.name), ("temp_air", TEMPERATURE.name)):
        values = data[column].to_numpy(dtype=float)[order]
        out[name] = np.interp(wanted, hour_of_year[order], values, period=8760.0)
    return pd.DataFrame(out), daily


def _hour_of_typical_year(times: pd.DatetimeIndex) -> np.ndarray:
    """Hours since 1 January 00:00 in a non-leap year (29 February read as 28 February)."""
    day = times.dayofyear.to_numpy() - 1
    leap_after_feb = times.is_leap_year & (times.month > 2)
    day = day - leap_after_feb.astype(int) - ((times.month == 2) & (times.day == 29)).astype(int)
    return day * 24.0 + times.hour.to_numpy() + times.minute.to_numpy() / 60.0
