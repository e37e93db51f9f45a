"""Peak-window KPIs: what dynamic-pricing trials publish, besides the single highest step.

Trials report the change of consumption in the tariff's peak window on weekdays (ToU: the dear period;
CPP: the critical window on event days) and the change of the mean daily peak (Faruqui & Sergici 2013,
../shared/DOMAIN.md). The window is the offered tariff's: the steps of each weekday at that day's highest
price (the dear period, or the critical window on an event day). Registered into `simulator.kpi.KPIS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.kpi.registry import KpiInputs, kpi

NO_WINDOW = "the offered tariff has no peak window (flat prices on every weekday)"


def peak_window_mask(prices_eur_per_kwh: np.ndarray, times: pd.DatetimeIndex, steps_per_day: int) -> np.ndarray:
    """Per step: a weekday step at its day's highest price, on a day whose prices differ (else False)."""
    n = len(times)
    days = -(-n // steps_per_day)
    padded = np.full(days * steps_per_day, np.nan)
    padded[:n] = prices_eur_per_kwh[:n]
    by_day = padded.reshape(days, steps_per_day)
    top = np.nanmax(by_day, axis=1, keepdims=True)
    varies = (top - np.nanmin(by_day, axis=1, keepdims=True)) > 1e-12
    mask = ((by_day >= top - 1e-12) & varies).ravel()[:n]
    return mask & (times.weekday < 5)


def _household_kw(district: pd.DataFrame) -> np.ndarray:
    load = district["load_kw"].to_numpy(dtype=float)
    return load - district["buildings_kw"].to_numpy(dtype=float) if "buildings_kw" in district else load


@kpi("%", NO_WINDOW)
def peak_window_energy_change_pct(x: KpiInputs) -> float:
    """Change of household consumption in the offered tariff's weekday peak window(s) against the baseline [%].

    The window: each weekday's steps at that day's highest price (ToU's dear period; a CPP's critical window on
    event days). Negative = less energy drawn in the window; what trials report as the peak impact.
    """
    if x.peak_window is None or not x.peak_window.any():
        return float("nan")
    run = _household_kw(x.district)[x.peak_window].sum()
    base = _household_kw(x.baseline_district)[x.peak_window].sum()
    return float(100.0 * (run - base) / base) if base > 0 else float("nan")


@kpi("%", "no power flow converged")
def mean_daily_peak_change_pct(x: KpiInputs) -> float:
    """Change of the mean over days of each day's highest district import against the baseline [%]."""
    run, base = _daily_peaks(x.district, x.step_h), _daily_peaks(x.baseline_district, x.step_h)
    if not (np.isfinite(run).any() and np.isfinite(base).any()):
        return float("nan")
    return float(100.0 * (np.nanmean(run) - np.nanmean(base)) / np.nanmean(base))


def _daily_peaks(district: pd.DataFrame, step_h: float) -> np.ndarray:
    spd = round(24 / step_h)
    values = district["import_kw"].to_numpy(dtype=float)
    days = -(-len(values) // spd)
    padded = np.full(days * spd, np.nan)
    padded[: len(values)] = values
    with np.errstate(all="ignore"):
        by_day = padded.reshape(days, spd)
        return np.where(np.isfinite(by_day).any(axis=1), np.nanmax(np.nan_to_num(by_day, nan=-np.inf), axis=1), np.nan)
