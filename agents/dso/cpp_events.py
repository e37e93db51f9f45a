"""The DSO's day-ahead forecast of household base load, and the critical-peak event days it picks from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from market.tariffs import CppTariff


def day_ahead_forecast_kw(base_scale_kw: np.ndarray, profile_type: np.ndarray, shapes: np.ndarray) -> np.ndarray:
    """The DSO's day-ahead forecast of household base load per step: standard profiles × each home's scale."""
    weight = np.bincount(profile_type, base_scale_kw, minlength=shapes.shape[0])
    return weight @ shapes


def pick_events(scenario: Any, times: pd.DatetimeIndex, forecast_kw: np.ndarray) -> dict[str, list[dt.date]]:
    """Event days of every CPP tariff, picked by the DSO from the forecast's daily peaks (the rule in `CppTariff`)."""
    daily_peak = pd.Series(forecast_kw, index=times).groupby(times.date).max()
    return {
        name: tariff.pick_event_days(daily_peak)
        for name, tariff in scenario.tariffs.items()
        if isinstance(tariff, CppTariff)
    }
