"""Critical peak pricing (CPP): a base tariff plus a critical price in a window on event days.

Event days are announced the day before. They are picked from day-ahead forecast peaks (by the
DSO, through `CppTariff.pick_event_days`) or written out in the scenario, and never exceed the
season's maximum. Defaults follow EDF's Tempo red days: at most 22 a season, 1 Nov–31 Mar,
weekdays (EDF via seloger / 1001infos, ../shared/DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator, model_validator

from market.tariff_calendars import TouWindow
from market.tariff_export import ExportPriced
from market.tariff_simple import Component, FlatTariff, TouTariff, _factors

BaseTariff = Annotated[FlatTariff | TouTariff, Field(discriminator="kind")]


class CppTariff(ExportPriced):
    """A base tariff (flat or ToU) whose price in `window_start`–`window_end` becomes critical on event days."""

    kind: Literal["cpp"] = "cpp"
    base: BaseTariff = Field(description="The tariff in force outside critical windows (flat or ToU)")
    critical_energy_eur_per_kwh: float = Field(
        ge=0, le=10, description="Energy component in the critical window [€/kWh]"
    )
    critical_network_eur_per_kwh: float = Field(
        0.0, ge=0, le=10, description="Network component in the critical window [€/kWh]"
    )
    window_start: str = Field("18:00", description="Start of the critical window on event days, HH:MM")
    window_end: str = Field("20:30", description="End of the critical window on event days, HH:MM")
    max_events_per_season: int = Field(
        22, ge=0, le=366, description="Most event days in one season (Tempo: 22 red days)"
    )
    season_start_month: int = Field(11, ge=1, le=12, description="First month of the event season (Tempo: November)")
    season_months: int = Field(5, ge=1, le=12, description="Length of the event season in months (Tempo: Nov–Mar)")
    event_weekdays_only: bool = Field(True, description="Events only Monday–Friday (Tempo red days are weekdays)")
    trigger_pct: float = Field(
        0.0, ge=0, le=100, description="An event needs a forecast peak ≥ this % of the highest candidate's [%]"
    )
    event_dates: tuple[dt.date, ...] = Field(
        (), description="Event days written out; empty: the DSO picks them from day-ahead forecast peaks"
    )
    source: str = Field("", description="Where the prices come from, or why they are assumed")

    @field_validator("window_start", "window_end")
    @classmethod
    def _clock(cls, v: str) -> str:
        TouWindow(period="critical", start=v, end="00:00")  # reuse the calendar's clock-time check
        return v

    @model_validator(mode="after")
    def _events_within_limits(self) -> CppTariff:
        outside = [d for d in self.event_dates if not self.is_candidate(d)]
        if outside:
            raise ValueError(f"event_dates outside the event season or on excluded days: {outside}")
        counts = pd.Series([self.season_of(d) for d in self.event_dates]).value_counts()
        if len(counts) and counts.max() > self.max_events_per_season:
            raise ValueError(f"event_dates: more than max_events_per_season ({self.max_events_per_season}) in a season")
        return self

    @property
    def standing_eur_per_day(self) -> float:
        """Standing charge, the base tariff's [€/day]."""
        return self.base.standing_eur_per_day

    def season_of(self, day: dt.date) -> int:
        """The year the event season containing `day` starts in."""
        return day.year if day.month >= self.season_start_month else day.year - 1

    def is_candidate(self, day: dt.date) -> bool:
        """True where `day` lies in the event season and on an allowed weekday."""
        in_season = (day.month - self.season_start_month) % 12 < self.season_months
        return in_season and (day.weekday() < 5 or not self.event_weekdays_only)

    def pick_event_days(self, forecast_peak_kw: pd.Series) -> list[dt.date]:
        """Event days among the forecast's days (index: dates): the highest forecast peaks, at most the season cap.

        Written-out `event_dates` win over the forecast. Days are ranked by forecast peak within
        each season; a day is called only if its forecast reaches `trigger_pct` of the season's top.
        """
        days = [d for d in forecast_peak_kw.index if self.is_candidate(d)]
        if self.event_dates:
            return sorted(d for d in self.event_dates if d in set(forecast_peak_kw.index))
        picked: list[dt.date] = []
        candidates = forecast_peak_kw.loc[days]
        for _, group in candidates.groupby([self.season_of(d) for d in days]):
            ranked = group.sort_values(ascending=False, kind="stable")
            ranked = ranked[ranked >= self.trigger_pct / 100 * ranked.iloc[0]]
            picked.extend(ranked.index[: self.max_events_per_season])
        return sorted(picked)

    def critical_mask(self, times: pd.DatetimeIndex, event_days: Collection[dt.date]) -> np.ndarray:
        """True at times inside the critical window of an event day."""
        start, end = (_minutes(self.window_start), _minutes(self.window_end))
        minute = (times.hour * 60 + times.minute).to_numpy()
        in_window = (minute >= start) & (minute < end) if start < end else (minute >= start) | (minute < end)
        on_event = np.isin(times.normalize().date, np.array(sorted(event_days), dtype=object))
        return in_window & on_event

    def components(
        self, times: pd.DatetimeIndex, event_days: Collection[dt.date] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Energy and network price at each time: the base's, critical inside the window on event days [€/kWh]."""
        energy, network = self.base.components(times)
        critical = self.critical_mask(times, event_days)
        energy[critical] = self.critical_energy_eur_per_kwh
        network[critical] = self.critical_network_eur_per_kwh
        return energy, network

    def prices_eur_per_kwh(self, times: pd.DatetimeIndex, event_days: Collection[dt.date] = ()) -> np.ndarray:
        """Total price in force at each time."""
        energy, network = self.components(times, event_days)
        return energy + network

    def scaled(self, factor: float, component: Component = "total") -> CppTariff:
        """The same tariff with `component` prices, base and critical, multiplied by `factor`."""
        e, n = _factors(component, factor)
        return self.model_copy(
            update={
                "base": self.base.scaled(factor, component),
                "critical_energy_eur_per_kwh": self.critical_energy_eur_per_kwh * e,
                "critical_network_eur_per_kwh": self.critical_network_eur_per_kwh * n,
            }
        )


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)
