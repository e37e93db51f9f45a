"""scripts/epw_monthly_ghi.py derives a shipped monthly table from a typical-year EPW, and refuses broken files."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.weather.monthly import PLACES

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "epw_monthly_ghi.py"
_spec = importlib.util.spec_from_file_location("epw_monthly_ghi", SCRIPT)
epw_monthly_ghi = sys.modules.setdefault("epw_monthly_ghi", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(epw_monthly_ghi)

HEADER = [
    "LOCATION,Testville,-,PRT,test,000000,40.0,-8.0,0.0,10.0",
    "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
    "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0", "COMMENTS 1,synthetic", "COMMENTS 2,",
    "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
]  # fmt: skip


def _rows(daily_wh_by_month, temperature_by_month) -> list[str]:
    """A year of hourly rows: each day's radiation spread evenly over 10:00-19:00 (hours ending 11..20)."""
    rows = []
    for day in pd.date_range("2001-01-01", "2001-12-31", freq="D"):
        per_hour = daily_wh_by_month(day.month) / 10
        for hour in range(1, 25):
            ghi = per_hour if 11 <= hour <= 20 else 0.0
            fields = [2001, day.month, day.day, hour, 60, "?", temperature_by_month(day.month), 5.0, 70, 101325]
            fields += [0, 0, 300, f"{ghi:.4f}", 0, 0]
            fields += [0] * (35 - len(fields))
            rows.append(",".join(str(f) for f in fields))
    return rows


def _write(path: Path, rows: list[str]) -> str:
    path.write_text("\n".join(HEADER + rows) + "\n", encoding="latin-1")
    return str(path)


def test_each_month_is_its_radiation_summed_over_the_month_divided_by_its_days(tmp_path):
    path = _write(tmp_path / "y.epw", _rows(lambda m: 100.0 * m, lambda m: float(m)))
    result = epw_monthly_ghi.monthly_ghi(path)
    assert result.location == "Testville"
    assert result.days == (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    assert result.ghi_kwh_m2_day == pytest.approx([0.1 * m for m in range(1, 13)], abs=1e-12)
    assert result.temperature_c == pytest.approx(range(1, 13))
    assert result.annual_kwh_m2 == pytest.approx(
        sum(0.1 * m * d for m, d in zip(range(1, 13), result.days, strict=True))
    )


def test_a_file_that_reproduces_lisbons_shipped_table_agrees_and_one_off_month_is_reported(tmp_path, capsys):
    table = PLACES["lisbon"].ghi_kwh_m2_day
    same = _write(tmp_path / "same.epw", _rows(lambda m: table[m - 1] * 1000, lambda m: 15.0))
    assert epw_monthly_ghi.main([same, "--place", "lisbon"]) == 0
    assert "agrees with the file in 12 of 12 months" in capsys.readouterr().out
    brighter_june = _write(
        tmp_path / "june.epw", _rows(lambda m: table[m - 1] * 1000 + (100 if m == 6 else 0), lambda m: 15.0)
    )
    assert epw_monthly_ghi.main([brighter_june, "--place", "lisbon"]) == 1
    out = capsys.readouterr().out
    assert "month 6: shipped 6.89, file 6.99" in out and "11 of 12 months" in out


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda rows: rows[:-24], "8736 hourly rows"),
        (lambda rows: [*rows[:100], rows[100].replace(",300,", ",300,9999,", 1), *rows[101:]], "line 109"),
        (lambda rows: [*rows[:5], "2001,1,1,6,60", *rows[6:]], "line 14: expected month, day"),
    ],
)
def test_a_broken_epw_is_refused_with_the_line_and_exit_code_2(tmp_path, capsys, mutate, message):
    path = _write(tmp_path / "bad.epw", mutate(_rows(lambda m: 1000.0, lambda m: 10.0)))
    assert epw_monthly_ghi.main([path]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "bad.epw" in err and message in err


def test_an_unknown_place_is_refused(tmp_path, capsys):
    path = _write(tmp_path / "y.epw", _rows(lambda m: 1000.0, lambda m: 10.0))
    assert epw_monthly_ghi.main([path, "--place", "oslo"]) == 2
    assert "allowed: lisbon, porto, grenoble" in capsys.readouterr().err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), max_size=30))
def test_any_text_is_either_read_or_refused_with_a_clear_error(tmp_path, lines):
    path = tmp_path / "any.epw"
    path.write_text("\n".join(lines), encoding="latin-1", errors="replace")
    try:
        epw_monthly_ghi.monthly_ghi(path)
    except epw_monthly_ghi.EpwError as exc:
        assert str(path) in str(exc)
