"""The time-series CSV convention: one reader for prices, carbon intensity, weather; errors name file and line."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.tariff_dynamic import PriceSeriesError, read_price_csv
from market.timeseries_csv import Column, TimeSeriesCSVError, held_at, parse_timeseries_csv, read_timeseries_csv

CARBON = Column("carbon_g_per_kwh", unit="g/kWh", low=0, high=2000)
TEMPERATURE = Column("temperature_c", unit="°C", low=-60, high=60, gaps_allowed=True)
T0 = dt.datetime(2016, 1, 11)

values = st.floats(0, 2000, allow_nan=False).map(lambda v: round(v, 3))
rows_st = st.lists(st.tuples(st.integers(1, 180), values, st.floats(-60, 60).map(lambda v: round(v, 2))), min_size=1)


def _text(rows, offset=""):
    minutes = np.cumsum([gap for gap, _, _ in rows])
    body = "".join(
        f"{(T0 + dt.timedelta(minutes=int(m))).isoformat()}{offset},{c!r},{t!r}\n"
        for m, (_, c, t) in zip(minutes, rows, strict=True)
    )
    return "# source: a test\ntime,carbon_g_per_kwh,temperature_c\n" + body, minutes


@settings(max_examples=60, deadline=None)
@given(rows=rows_st, offset=st.sampled_from(["", "+01:00", "Z"]))
def test_a_file_round_trips_with_local_or_offset_times(rows, offset):
    text, minutes = _text(rows, offset)
    frame = parse_timeseries_csv(text, [CARBON, TEMPERATURE], source="w.csv", offsets="either")
    assert list(frame["carbon_g_per_kwh"]) == [c for _, c, _ in rows]
    assert list(frame["temperature_c"]) == [t for _, _, t in rows]
    expected = pd.DatetimeIndex([T0 + dt.timedelta(minutes=int(m)) for m in minutes])
    if offset:
        shift = dt.timedelta(hours=1) if offset == "+01:00" else dt.timedelta(0)
        expected = (expected - shift).tz_localize("UTC")
    assert (frame.index == expected).all()


@settings(max_examples=80, deadline=None)
@given(rows=rows_st, bad=st.text(max_size=12), where=st.integers(0, 999), col=st.sampled_from([1, 2]))
def test_a_bad_value_is_reported_with_file_line_and_column(rows, bad, where, col):
    text, _ = _text(rows)
    lines = text.splitlines()
    k = 2 + where % len(rows)
    cells = lines[k].split(",")
    cells[col] = bad
    lines[k] = ",".join(cells)
    column = [CARBON, TEMPERATURE][col - 1]
    try:
        v = float(bad)
        valid = column.low <= v <= column.high
    except ValueError:
        valid = bad.strip() == "" and column.gaps_allowed
    if valid or "," in bad or any(c in bad for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return
    with pytest.raises(TimeSeriesCSVError, match=rf"w\.csv, line {k + 1}: {column.name}"):
        parse_timeseries_csv("\n".join(lines), [CARBON, TEMPERATURE], source="w.csv")


@pytest.mark.parametrize(
    ("text", "offsets", "message"),
    [
        ("time,carbon_g_per_kwh\n2016-01-11 00:00+01:00,100", "forbidden", "line 2: give local time"),
        ("time,carbon_g_per_kwh\n2016-01-11 00:00,100", "required", "line 2: give the time with a UTC offset"),
        ("time,carbon_g_per_kwh\n2016-01-11 00:00Z,1\n2016-01-11 01:00,2", "either", "line 3: .* offset or none"),
        ("time,co2\n2016-01-11 00:00,1", "forbidden", "line 1: header must be time,carbon_g_per_kwh"),
        ("# only a comment\n", "forbidden", "no header"),
        ("time,carbon_g_per_kwh\n2016-01-11 00:00,-3", "forbidden", r"line 2: carbon_g_per_kwh -3 g/kWh outside \[0, "),
        ("time,carbon_g_per_kwh\n2016-01-11 00:00,", "forbidden", "line 2: carbon_g_per_kwh '' is not a number"),
    ],
)
def test_convention_errors(text, offsets, message):
    with pytest.raises(TimeSeriesCSVError, match=message):
        parse_timeseries_csv(text, [CARBON], source="c.csv", offsets=offsets)


def test_an_empty_cell_is_a_gap_where_the_column_allows_it():
    frame = parse_timeseries_csv("time,temperature_c\n2016-01-11 00:00,\n2016-01-11 01:00,4.5", [TEMPERATURE])
    assert np.isnan(frame["temperature_c"].iloc[0]) and frame["temperature_c"].iloc[1] == 4.5


def test_a_level_holds_until_the_next_row_and_the_last_day_repeats():
    index = pd.DatetimeIndex(["2016-01-11 00:00", "2016-01-11 08:00", "2016-01-11 20:00", "2016-01-11 23:00"])
    series = pd.Series([1.0, 2.0, 3.0, 4.0], index=index)
    times = pd.DatetimeIndex(["2016-01-11 07:59", "2016-01-11 08:00", "2016-01-11 22:59", "2016-01-12 09:00"])
    assert list(held_at(series, times)) == [1.0, 2.0, 3.0, 2.0]  # the next day repeats the last one
    assert list(held_at(series, times, repeat_last_day=False)) == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(TimeSeriesCSVError, match="starts at"):
        held_at(series, pd.DatetimeIndex(["2016-01-10 23:00"]))


def test_the_price_reader_is_the_convention_reader(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("# source: test\ntime,energy_eur_per_kwh\n2016-01-11 00:00,0.1\n2016-01-11 12:00,0.2\n")
    series = read_price_csv(path)
    frame = read_timeseries_csv(path, [Column("energy_eur_per_kwh")])
    np.testing.assert_array_equal(series.to_numpy(), frame["energy_eur_per_kwh"].to_numpy())
    with pytest.raises(PriceSeriesError, match=r"missing\.csv: file not found"):
        read_price_csv(tmp_path / "missing.csv")
