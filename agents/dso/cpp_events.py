"""The critical-peak event days the DSO calls, ranked on its day-ahead forecast over the whole event season.

The forecast (standard profiles × each home's scale, plus electric heating) is built by the simulator over
every day of the CPP seasons a run touches (`simulator.cpp_season`); the DSO ranks the season's candidate
days and calls at most the season's cap, so a one-week run gets only the events that fall in its week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from market.tariffs import CppTariff


def pick_events(scenario: Any, season_forecast_kw: pd.Series) -> dict[str, list[dt.date]]:
    """Event days of every CPP tariff over its whole season, ranked on the forecast's daily peaks."""
    daily_peak = season_forecast_kw.groupby(season_forecast_kw.index.date).max()
    return {
        name: tariff.pick_event_days(daily_peak)
        for name, tariff in scenario.tariffs.items()
        if isinstance(tariff, CppTariff)
    }
