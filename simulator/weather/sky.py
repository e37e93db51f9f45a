"""Irradiance on the scenario's steps: clear-sky × a daily clear-sky index (offline model) or a weather file.

The offline model (a stochastic clear-sky-index model): each day's clear-sky index kc = daily GHI / daily
clear-sky GHI is drawn from a Beta distribution whose mean is the month's measured mean over its clear-sky
mean (`monthly.py`), with day-to-day persistence through a Gaussian AR(1) copula. Within a day kc scales
pvlib's Ineichen clear sky. A cloudy spell is a run of low-kc days; the month's mean irradiation is kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simulator.weather.spec import WeatherSpec

SUB_STEP_MIN = 5  # irradiance is evaluated every 5 minutes and averaged over each step


def sample_times(times: pd.DatetimeIndex, step_minutes: int) -> tuple[pd.DatetimeIndex, int]:
    """Points inside each step (sub-step midpoints), step-major blocks of `len(times)`, and their count."""
    sub = max(1, step_minutes // SUB_STEP_MIN)
    offsets = (np.arange(sub) + 0.5) * step_minutes / sub
    return pd.DatetimeIndex(np.concatenate([times + pd.Timedelta(minutes=o) for o in offsets])), sub


def clear_sky(points: pd.DatetimeIndex, latitude: float, longitude: float, timezone: str) -> pd.DataFrame:
    """Pvlib's Ineichen clear sky (bundled Linke turbidity) and the sun's position at local clock times."""
    import pvlib

    aware = points.tz_localize(timezone, nonexistent="shift_forward", ambiguous=False)
    site = pvlib.location.Location(latitude, longitude, tz=timezone)
    sky = site.get_clearsky(aware, model="ineichen")
    sun = site.get_solarposition(aware)
    return pd.DataFrame(
        {
            "ghi_cs": sky["ghi"].to_numpy(),
            "zenith": sun["apparent_zenith"].to_numpy(),
            "azimuth": sun["azimuth"].to_numpy(),
        },
        index=points,
    )


def daily_clear_sky_index(
    spec: WeatherSpec,
    monthly_ghi_kwh_m2_day: tuple[float, ...],
    days: pd.DatetimeIndex,
    clear_sky_kwh_m2_day: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """One clear-sky index per day: Beta-distributed around the month's mean, correlated day to day."""
    month = days.month.to_numpy() - 1
    measured = np.asarray(monthly_ghi_kwh_m2_day)[month]
    clear = _monthly_mean(clear_sky_kwh_m2_day, month)
    mean = np.clip(measured / np.maximum(clear, 1e-6), 0.05, 0.95)
    z = np.empty(len(days))
    rho = spec.day_to_day_correlation
    eps = rng.standard_normal(len(days))
    z[0] = eps[0]
    for d in range(1, len(days)):  # one value per day: a loop over days, not households
        z[d] = rho * z[d - 1] + np.sqrt(1 - rho**2) * eps[d]
    nu = spec.clear_sky_index_concentration
    return stats.beta.ppf(stats.norm.cdf(z), mean * nu, (1 - mean) * nu)


def _monthly_mean(values: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Each day's month's mean of `values` (over the days given)."""
    sums = np.bincount(month, values, minlength=12)
    counts = np.bincount(month, minlength=12)
    return (sums / np.maximum(counts, 1))[month]


def plane_of_array(
    ghi: np.ndarray, sun: pd.DataFrame, tilt_deg: float, azimuth_deg: float
) -> np.ndarray:
    """Irradiance on the modules [W/m²]: GHI split into beam and diffuse (Erbs), then transposed (isotropic)."""
    import pvlib

    split = pvlib.irradiance.erbs(ghi, sun["zenith"].to_numpy(), sun.index.dayofyear.to_numpy())
    poa = pvlib.irradiance.get_total_irradiance(
        tilt_deg, azimuth_deg, sun["zenith"].to_numpy(), sun["azimuth"].to_numpy(),
        np.nan_to_num(np.asarray(split["dni"])), ghi, np.nan_to_num(np.asarray(split["dhi"])),
    )  # fmt: skip
    return np.nan_to_num(np.asarray(poa["poa_global"], dtype=float)).clip(0, 1400)
