"""Tariffs: CPP event selection, revenue-neutral design to the cent, the price-series parser."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.tariff_cpp import CppTariff
from market.tariff_design import design_revenue_neutral, revenue_eur
from market.tariff_dynamic import PriceSeriesError, parse_price_csv, prices_at
from market.tariff_presets import PRESETS
from market.tariff_simple import FlatTariff, TouTariff

FLAT = FlatTariff(energy_eur_per_kwh=0.16)


def _cpp(**kw):
    return CppTariff(base=FLAT, critical_energy_eur_per_kwh=0.9, **kw)


@settings(max_examples=60, deadline=None)
@given(
    peaks=st.lists(st.floats(1, 1000, allow_nan=False), min_size=1, max_size=200),
    start=st.dates(dt.date(2015, 1, 1), dt.date(2017, 12, 31)),
    cap=st.integers(0, 30),
    weekdays_only=st.booleans(),
)
def test_cpp_events_are_the_forecast_peak_days_and_never_exceed_the_season_cap(peaks, start, cap, weekdays_only):
    tariff = _cpp(max_events_per_season=cap, event_weekdays_only=weekdays_only)
    days = [start + dt.timedelta(days=i) for i in range(len(peaks))]
    forecast = pd.Series(peaks, index=days)
    events = tariff.pick_event_days(forecast)
    seasons = pd.Series([tariff.season_of(d) for d in events], dtype=int)
    assert (seasons.value_counts() <= cap).all()
    for season in {tariff.season_of(d) for d in days}:
        candidates = [d for d in days if tariff.is_candidate(d) and tariff.season_of(d) == season]
        chosen = [d for d in events if tariff.season_of(d) == season]
        assert len(chosen) == min(cap, len(candidates))
        if chosen and len(chosen) < len(candidates):  # every event day forecasts at least as high as every other
            assert min(forecast[d] for d in chosen) >= max(forecast[d] for d in candidates if d not in chosen)


def test_cpp_critical_price_only_in_the_window_of_event_days():
    times = pd.date_range("2016-01-11", periods=3 * 96, freq="15min")
    prices = _cpp().prices_eur_per_kwh(times, [dt.date(2016, 1, 12)])
    critical = prices > 0.5
    assert critical.sum() == 10  # 18:00–20:30 in 15-minute steps
    assert set(times[critical].date) == {dt.date(2016, 1, 12)}


@settings(max_examples=40, deadline=None)
@given(
    consumption=st.lists(st.floats(0, 50), min_size=96, max_size=96),
    option=st.sampled_from(sorted(PRESETS)),
    standing=st.floats(0, 0.3),
)
def test_revenue_neutral_design_earns_the_current_revenue_to_the_cent(consumption, option, standing):
    times = pd.date_range("2016-01-12", periods=96, freq="15min")
    kwh = np.array(consumption)
    if kwh.sum() < 1:
        return
    current = FLAT.model_copy(update={"standing_eur_per_day": standing})
    events = [dt.date(2016, 1, 12)]
    design = design_revenue_neutral(current, PRESETS[option], times, kwh, households=10, days=1, event_days=events)
    again = revenue_eur(design.tariff, times, kwh, households=10, days=1, event_days=events)
    assert round(again, 2) == round(design.current_revenue_eur, 2)
    assert again == pytest.approx(design.current_revenue_eur, abs=1e-6)
    ratios = (
        design.tariff.prices_eur_per_kwh(times, events) if option == "cpp" else design.tariff.prices_eur_per_kwh(times)
    )
    template = PRESETS[option]
    base = template.prices_eur_per_kwh(times, events) if option == "cpp" else template.prices_eur_per_kwh(times)
    np.testing.assert_allclose(ratios / ratios.min(), base / base.min())  # the option's shape is kept


def test_tou_components_split_energy_and_network():
    tou = TouTariff(calendar="pt_bi_horario_daily", energy_eur_per_kwh={"vazio": 0.1, "fora_de_vazio": 0.2},
                    network_eur_per_kwh={"vazio": 0.01, "fora_de_vazio": 0.05})  # fmt: skip
    times = pd.date_range("2016-01-12", periods=96, freq="15min")
    energy, network = tou.components(times)
    np.testing.assert_allclose(energy + network, tou.prices_eur_per_kwh(times))
    assert set(np.round(network, 6)) == {0.01, 0.05}


# --- the price-series parser ---------------------------------------------------------------------------
series_rows = st.lists(
    st.tuples(st.integers(1, 10_000), st.floats(-1, 10, allow_nan=False).map(lambda p: round(p, 6))),
    min_size=1,
    max_size=50,
)


@settings(max_examples=80, deadline=None)
@given(rows=series_rows)
def test_price_csv_round_trips(rows):
    t0 = dt.datetime(2016, 1, 1)
    times = np.cumsum([gap for gap, _ in rows])
    text = "time,energy_eur_per_kwh\n" + "".join(
        f"{(t0 + dt.timedelta(minutes=int(m))).isoformat(sep=' ')},{p!r}\n"
        for m, (_, p) in zip(times, rows, strict=True)
    )
    series = parse_price_csv(text, "p.csv")
    assert list(series.to_numpy()) == [p for _, p in rows]
    assert (np.diff(series.index.to_numpy()) > np.timedelta64(0)).all()
    # a price holds until the next row
    np.testing.assert_array_equal(prices_at(series, series.index), series.to_numpy())


@settings(max_examples=80, deadline=None)
@given(rows=series_rows, bad=st.text(max_size=20), where=st.integers(0, 49))
def test_price_csv_errors_name_the_file_and_line(rows, bad, where):
    lines = ["time,energy_eur_per_kwh"] + [
        f"{dt.datetime(2016, 1, 1) + dt.timedelta(minutes=15 * i)},{p}" for i, (_, p) in enumerate(rows)
    ]
    k = 1 + where % len(rows)
    lines[k] = lines[k].split(",")[0] + "," + bad
    try:
        float(bad)
        valid = bad.strip() != "" and "," not in bad and "\n" not in bad and -1 <= float(bad) <= 10
    except ValueError:
        valid = False
    if valid or not bad.strip() or "\n" in bad or "\r" in bad:
        return
    with pytest.raises(PriceSeriesError, match=rf"p\.csv, line {k + 1}"):
        parse_price_csv("\n".join(lines), "p.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("when,price\n2016-01-01 00:00,0.1", "line 1: header"),
        ("time,energy_eur_per_kwh\n2016-01-01 00:00,0.1\n2016-01-01 00:00,0.2", "line 3: time"),
        ("time,energy_eur_per_kwh\nyesterday,0.1", "line 2: 'yesterday' is not an ISO time"),
        ("time,energy_eur_per_kwh\n2016-01-01 00:00,0.1,3", "line 2: expected 2 values"),
        ("time,energy_eur_per_kwh\n2016-01-01 00:00,nan", "line 2: price nan"),
    ],
)
def test_price_csv_error_messages(text, message):
    with pytest.raises(PriceSeriesError, match=message):
        parse_price_csv(text, "p.csv")
