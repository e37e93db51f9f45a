"""Standard load and PV shapes from SimBench's wheel, and clear-sky PV from pvlib, on the scenario's steps.

SimBench ships one year (2016, 15-minute) of normalised profiles inside its PyPI package, so a
run needs no download. Household types H0-A … H0-L are normalised to a maximum of 1.0 (not to
annual energy; ../shared/DOMAIN.md), so `annual_full_load_hours` gives the factor that scales a
shape to a household's annual consumption.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.csv as pacsv

from simulator.errors import DataError

SIMBENCH_STEP_MIN = 15
SIMBENCH_YEAR = 2016


def _simbench_dir() -> Path:
    import simbench

    return Path(simbench.__file__).parent / "networks" / "1-complete_data-mixed-all-0-sw"


@functools.cache
def _simbench_columns(file: str, columns: tuple[str, ...]) -> np.ndarray:
    """Columns of a SimBench profile CSV as a (columns × 35,136) float array, read once per process."""
    path = _simbench_dir() / file
    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(delimiter=";"),
            convert_options=pacsv.ConvertOptions(include_columns=list(columns)),
        )
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"{path}: cannot read SimBench profiles {columns}: {exc}") from exc
    return np.vstack([table.column(c).to_numpy() for c in columns]).astype(np.float64)


def simbench_load_shapes(types: tuple[str, ...]) -> np.ndarray:
    """Year-long 15-minute shapes of SimBench load profile types (e.g. 'H0-A'), max-normalised."""
    return _simbench_columns("LoadProfile.csv", tuple(f"{t}_pload" for t in types))


def simbench_pv_shapes() -> np.ndarray:
    """Year-long 15-minute PV1 … PV8 shapes (fraction of installed power)."""
    return _simbench_columns("RESProfile.csv", tuple(f"PV{i}" for i in range(1, 9)))


def annual_full_load_hours(shapes: np.ndarray) -> np.ndarray:
    """Energy of one year of each max-normalised shape, in hours at full load."""
    return shapes.sum(axis=1) * SIMBENCH_STEP_MIN / 60


def on_steps(shapes: np.ndarray, times: pd.DatetimeIndex, step_minutes: int) -> np.ndarray:
    """Resample 2016 15-minute shapes onto the scenario's steps (mean over each step).

    Days map to the 2016 day of the same day of year, moved by up to ±3 days so the weekday
    matches, because household load depends on the weekday.
    """
    n = shapes.shape[1]
    per_step = max(1, step_minutes // SIMBENCH_STEP_MIN)
    out = np.zeros((shapes.shape[0], len(times)))
    for k in range(per_step):
        out += shapes[:, _simbench_index(times + pd.Timedelta(minutes=k * SIMBENCH_STEP_MIN), n)]
    return out / per_step


def _simbench_index(times: pd.DatetimeIndex, n: int) -> np.ndarray:
    day = np.minimum(times.dayofyear.to_numpy() - 1, 365)
    same_day_2016 = pd.Timestamp(SIMBENCH_YEAR, 1, 1) + pd.to_timedelta(day, unit="D")
    shift = (times.weekday.to_numpy() - same_day_2016.weekday.to_numpy() + 3) % 7 - 3
    day = np.clip(day + shift, 0, 365)
    slot = (times.hour.to_numpy() * 60 + times.minute.to_numpy()) // SIMBENCH_STEP_MIN
    return np.clip(day * (1440 // SIMBENCH_STEP_MIN) + slot, 0, n - 1)


def clear_sky_pv_kw_per_kwp(
    times: pd.DatetimeIndex,
    step_minutes: int,
    *,
    latitude: float,
    longitude: float,
    timezone: str,
    tilt_deg: float,
    azimuth_deg: float,
) -> np.ndarray:
    """Mean AC output per kWp over each step under a clear sky (pvlib Ineichen, plane of array).

    Plane-of-array irradiance / 1 kW/m²: an upper bound with no clouds and no system losses
    (≈2,430 kWh/kWp/a in Lisbon at 30° south; DOMAIN.md's 2,218 includes module losses). The
    caller applies a derate. Evaluated at sub-step points and averaged.
    """
    import pvlib

    sub = max(1, step_minutes // 5)
    offsets = (np.arange(sub) + 0.5) * step_minutes / sub
    local = pd.DatetimeIndex(np.concatenate([times + pd.Timedelta(minutes=o) for o in offsets]))
    aware = local.tz_localize(timezone, nonexistent="shift_forward", ambiguous=False)
    site = pvlib.location.Location(latitude, longitude, tz=timezone)
    sky = site.get_clearsky(aware, model="ineichen")
    sun = site.get_solarposition(aware)
    poa = pvlib.irradiance.get_total_irradiance(
        tilt_deg, azimuth_deg, sun["apparent_zenith"], sun["azimuth"], sky["dni"], sky["ghi"], sky["dhi"]
    )
    kw_per_kwp = np.nan_to_num(poa["poa_global"].to_numpy() / 1000.0).clip(0, 1.2)
    return kw_per_kwp.reshape(sub, len(times)).mean(axis=0)
