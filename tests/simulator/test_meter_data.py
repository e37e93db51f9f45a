"""Smart-meter data import: malformed rows, resampling, DST days, gap policies, energy conservation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.households.spec import MeterDataSpec
from simulator.cli.commands import main
from simulator.errors import DataError
from simulator.meter_data.meter_csv import read_meter_csv
from simulator.meter_data.meter_import import import_meter_data
from simulator.model import CityModel
from tests.conftest import SCENARIOS, quickstart_dict, small_scenario

IDS = [f"m{i}" for i in range(4)]


def _scenario(start: str = "2016-01-11", days: float = 1, tz: str = "Europe/Lisbon"):
    return small_scenario(horizon_days=days, start=pd.Timestamp(start).to_pydatetime(),
                          location={"name": "x", "latitude": 45.0, "longitude": 5.0, "timezone": tz})  # fmt: skip


def _csv(path, rows, header="meter_id,timestamp,energy_kwh"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def _series(meter, start_utc, n, minutes, kwh=0.1, tz="UTC"):
    times = pd.date_range(start_utc, periods=n, freq=f"{minutes}min", tz="UTC").tz_convert(tz)
    values = np.broadcast_to(kwh, n)
    return [f"{meter},{t.isoformat()},{v:.6f}" for t, v in zip(times, values, strict=True)]


def _import(path, scenario=None, **spec):
    scenario = scenario or _scenario()
    flat = lambda rows: np.ones((scenario.n_steps, len(rows)))  # noqa: E731
    return import_meter_data(MeterDataSpec(file=path, **spec), scenario, IDS, flat)


GOOD = "m0,2016-01-11T00:00:00+00:00,0.1"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("m0,2016-01-11 00:15,0.1", "bad timestamp"),
        ("m0,yesterday+01:00,0.1", "bad timestamp"),
        ("m0,2016-01-11T00:15:00+00:00,-0.2", "negative energy"),
        ("m0,2016-01-11T00:15:00+00:00,lots", "bad energy"),
        ("m9,2016-01-11T00:15:00+00:00,0.1", "unknown meter"),
        (GOOD, "duplicate key"),
        ("m0,2016-01-11T00:15:00+00:00", "bad row"),
    ],
)
def test_malformed_row_stops_the_import_naming_file_line_and_reason(tmp_path, row, reason):
    path = _csv(tmp_path / "meters.csv", [GOOD, "m1,2016-01-11T00:00:00+00:00,0.2", row])
    with pytest.raises(DataError) as info:
        _import(path)
    assert "meters.csv, line 4" in str(info.value) and reason in str(info.value)


def test_lenient_skips_and_counts_every_malformed_row(tmp_path):
    rows = [GOOD, "m0,bad+00:00,0.1", "m0,2016-01-11T00:15:00+00:00,-1", GOOD, "zz,2016-01-11T00:15:00+00:00,1", ""]
    result = _import(_csv(tmp_path / "m.csv", rows), lenient=True)
    skipped = result.report["rows_skipped"]
    assert sum(skipped.values()) == 5 and skipped["duplicate key"] == 1 and skipped["empty line"] == 1
    assert result.report["rows_read"] == 6


def test_line_numbers_stay_right_after_skipped_short_rows(tmp_path):
    rows = ["m0,short", GOOD, "m1,also short", "m1,2016-01-11T00:00:00+00:00,-3"]
    counted = read_meter_csv(_csv(tmp_path / "m.csv", rows), IDS, lenient=True)
    assert counted.line.tolist() == [3]  # the one good row, after a short row on line 2
    with pytest.raises(DataError, match=r"line 2: bad row"):
        read_meter_csv(tmp_path / "m.csv", IDS, lenient=False)


def test_bad_header_names_line_1(tmp_path):
    with pytest.raises(DataError, match="line 1: header must be meter_id,timestamp,energy_kwh"):
        _import(_csv(tmp_path / "m.csv", [GOOD], header="id,time,kwh"))


def test_cli_reports_a_bad_meter_file_with_exit_2(tmp_path, capsys):
    _csv(tmp_path / "meters.csv", ["hh0,2016-01-11T00:00:00+00:00,0.1", "hh0,2016-01-11T00:15:00+00:00,-5"])
    text = (SCENARIOS / "meter_demo.toml").read_text()
    text = text.replace('file = "data/meter_demo.csv"', 'file = "meters.csv"').replace("lenient = true", "")
    (tmp_path / "s.toml").write_text(text)
    code = main(["run", str(tmp_path / "s.toml"), "--quiet", "--out", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and "meters.csv, line 3: negative energy" in err and "Traceback" not in err


@pytest.mark.parametrize("minutes", [1, 5, 10, 20, 30, 60])
def test_any_interval_is_resampled_to_the_step_conserving_energy(tmp_path, minutes):
    n = 24 * 60 // minutes
    energy = np.round(np.random.default_rng(minutes).uniform(0, 0.5, n), 6)
    rows = _series("m2", "2016-01-11", n, minutes, energy)
    result = _import(_csv(tmp_path / "m.csv", rows))
    assert result.energy_kwh.shape == (96, 1)
    assert result.energy_kwh.sum() == pytest.approx(energy.sum(), rel=1e-9)
    assert result.report["gap_steps"] == 0 and result.filled_kwh.sum() == 0


@pytest.mark.parametrize(
    ("day", "quarter_hours", "folded", "split"), [("2016-03-27", 92, 0, 4), ("2016-10-30", 100, 4, 0)]
)
def test_dst_days_of_92_and_100_quarter_hours(tmp_path, day, quarter_hours, folded, split):
    """Local midnight to midnight across a DST change, written in local time with its changing offset."""
    start_utc = pd.Timestamp(day).tz_localize("Europe/Lisbon").tz_convert("UTC")
    energy = np.arange(1, quarter_hours + 1) / 100
    rows = _series("m0", start_utc, quarter_hours, 15, energy, tz="Europe/Lisbon")
    assert rows[0].split(",")[1].startswith(day) and rows[-1].split(",")[1].startswith(day)
    result = _import(_csv(tmp_path / "m.csv", rows), _scenario(day))
    assert result.report["gap_steps"] == 0
    assert result.energy_kwh.sum() == pytest.approx(energy.sum())
    assert (result.report["dst_folded_steps"], result.report["dst_split_steps"]) == (folded, split)
    assert (result.energy_kwh > 0).all()  # no wall step is left empty


def _gappy(tmp_path, gap_steps):
    rows = _series("m0", "2016-01-11", 96, 15, 0.1)
    del rows[40 : 40 + gap_steps]
    return _csv(tmp_path / "m.csv", rows)


def test_policy_drop_excludes_a_household_with_a_gap_and_says_why(tmp_path):
    result = _import(_gappy(tmp_path, 2), policy="drop")
    assert len(result.rows) == 0 and "missing data" in result.dropped[0]
    assert result.report["gap_steps"] == 2 and result.report["gap_runs"] == 1


def test_policy_interpolate_fills_short_gaps_and_drops_long_ones(tmp_path):
    short = _import(_gappy(tmp_path, 2), policy="interpolate", interpolate_max_gap_min=30)
    assert short.energy_kwh.sum() == pytest.approx(9.6) and short.filled_kwh.sum() == pytest.approx(0.2)
    long = _import(_gappy(tmp_path, 3), policy="interpolate", interpolate_max_gap_min=30)
    assert len(long.rows) == 0 and "longer than interpolate_max_gap_min" in long.dropped[0]


def test_policy_profile_fills_from_the_scaled_standard_profile(tmp_path):
    result = _import(_gappy(tmp_path, 8), policy="profile")
    # the flat profile scaled to 0.1 kWh per step fills the 8 missing steps
    assert result.filled_kwh.sum() == pytest.approx(0.8) and result.energy_kwh.sum() == pytest.approx(9.6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    minutes=st.sampled_from([1, 5, 15, 20, 30, 60]),
    offset_min=st.integers(0, 59),
    seed=st.integers(0, 2**16),
    gap_share=st.floats(0, 0.5),
    policy=st.sampled_from(["profile", "interpolate", "drop"]),
    day=st.sampled_from(["2016-01-11", "2016-03-27", "2016-10-30"]),
)
def test_imported_energy_equals_the_files_for_every_policy_that_keeps_the_household(
    tmp_path, minutes, offset_min, seed, gap_share, policy, day
):
    rng = np.random.default_rng(seed)
    scenario = _scenario(day)
    start = pd.Timestamp(day).tz_localize("Europe/Lisbon").tz_convert("UTC") + pd.Timedelta(minutes=offset_min)
    n = (23 * 60 - offset_min) // minutes  # inside the horizon whatever the day's length
    rows, file_kwh = [], {}
    for m in range(3):
        energy = np.round(rng.uniform(0, 0.3, n), 6)
        kept = rng.random(n) >= gap_share
        kept[0] = True
        rows += list(np.array(_series(f"m{m}", start, n, minutes, energy, tz="Europe/Lisbon"))[kept])
        file_kwh[m] = energy[kept].sum()
    result = _import(_csv(tmp_path / "p.csv", rows), scenario, policy=policy, interpolate_max_gap_min=120)
    for j, row in enumerate(result.rows):
        measured = result.energy_kwh[:, j].sum() - result.filled_kwh[j]
        assert measured == pytest.approx(file_kwh[int(row)], rel=1e-9, abs=1e-9)
    assert set(result.rows.tolist()) | set(result.dropped) == {0, 1, 2}


def test_measured_households_are_the_baseline_and_dr_acts_on_top(tmp_path):
    rows = _series("hh3", "2016-01-12", 96, 15, 0.3) + _series("hh7", "2016-01-12", 48, 30, 0.2)
    _csv(tmp_path / "m.csv", rows)
    data = quickstart_dict(horizon_days=1, households={
        "annual_kwh_median": 2700, "hems_share": 1.0, "meter_data": {"file": str(tmp_path / "m.csv")}})  # fmt: skip
    from simulator.scenario import scenario_from_dict

    scenario = scenario_from_dict(data)
    base, run = CityModel(scenario, demand_response=False), CityModel(scenario)
    for model in (base, run):
        while model.running:
            model.step()
    energy = base.recorder.household["energy_kwh"]
    assert energy[3] == pytest.approx(96 * 0.3) and energy[7] == pytest.approx(48 * 0.2)
    assert run.measured is not None and list(run.measured.rows) == [3, 7]
