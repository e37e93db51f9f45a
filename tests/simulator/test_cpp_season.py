"""CPP events and CPP prices over the whole event season: a short run gets only its share of the season."""

from __future__ import annotations

import pandas as pd
import pytest

from market.cpp_season import season_days
from market.tariff_presets import PRESETS
from simulator.compare.engine import baseline_use, option_scenario
from simulator.model import CityModel
from tests.conftest import small_scenario


def _cpp_model(days: int, start: str = "2016-01-11"):
    scenario = small_scenario(horizon_days=days, start=start)
    variant, design = option_scenario(scenario, "cpp", baseline_use(scenario))
    model = CityModel(variant)
    in_run = [d for d in model.event_days["cpp"] if model.times[0].date() <= d <= model.times[-1].date()]
    return model, in_run, design


def test_the_season_is_every_day_from_november_to_march_around_a_january_run():
    days = season_days(PRESETS["cpp"], [pd.Timestamp("2016-01-11").date()])
    assert days[0] == pd.Timestamp("2015-11-01").date() and days[-1] == pd.Timestamp("2016-03-31").date()
    assert len(days) == 152  # 2016 is a leap year


def test_four_weeks_of_cpp_do_not_make_every_weekday_a_critical_day():
    model, in_run, _ = _cpp_model(28)
    season = model.event_days["cpp"]
    assert len(season) == 22  # the season's cap, over ~107 candidate weekdays
    assert len(in_run) < 20  # the old code called all 20 weekdays of the four weeks


def test_a_week_gets_the_events_the_season_gives_that_week_whatever_the_run_length():
    _, week, _ = _cpp_model(7)
    _, month, _ = _cpp_model(28)
    assert week == [d for d in month if d <= pd.Timestamp("2016-01-17").date()]


def test_cpp_prices_are_designed_over_the_season_not_over_the_run():
    scenario = small_scenario(horizon_days=7, start="2016-01-11")
    use = baseline_use(scenario)
    _, design = option_scenario(scenario, "cpp", use)
    run_revenue = float(use.consumption_kwh.sum() * 0.16)  # the quickstart's flat 0.16 €/kWh, no standing charge
    # the revenue balanced is the season's (152 days), not the week's: the run-based design balanced 1 week
    assert design.current_revenue_eur == pytest.approx(run_revenue * 152 / 7, rel=0.15)
    _, _, four_weeks = _cpp_model(28)
    assert design.factor == pytest.approx(four_weeks.factor, rel=0.03)
