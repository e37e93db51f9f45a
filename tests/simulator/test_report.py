"""The comparison report a councillor reads: summary first, plain names, yearly bills, tariffs by the hour,
who pays (spread, profile, groups, revenues) without revealing small groups, and replicate intervals."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from market.tariff_presets import PRESETS
from simulator.compare.engine import compare, write_comparison
from simulator.compare.report import HEADLINE
from simulator.compare.tariff_day import tariff_day
from simulator.compare.who_pays import annual_factor, bills_per_year, event_days, revenues
from simulator.kpi.equity import MIN_GROUP_HOUSEHOLDS, equity_table
from simulator.kpi.plain import PLAIN, plain
from simulator.kpi.registry import KPIS
from simulator.replicates import interval
from tests.conftest import small_scenario


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """flat / tou / cpp on two winter weekdays of the quickstart, written with its report.

    27–28 January 2016: two of the 22 days the DSO's season forecast calls CPP events on for these homes
    (events are picked over the whole November–March season, not among the run's days).
    """
    comparison = compare(small_scenario(horizon_days=2, start="2016-01-27"), ["flat", "tou", "cpp"])
    out = write_comparison(comparison, tmp_path_factory.mktemp("cmp") / "cmp")
    return comparison, out, (out / "report.html").read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The page's visible text (tags, titles and styles removed)."""
    page = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_every_headline_kpi_has_a_plain_name_unit_and_explanation():
    for name in HEADLINE:
        p = PLAIN[name]
        assert p.label and p.unit and p.explanation and "_" not in p.label
    assert all(plain(name).unit == KPIS[name].unit for name in KPIS if name not in PLAIN)


def test_the_report_leads_with_a_plain_summary_and_shows_no_code_names(written):
    _comparison, _, page = written
    text = _text(page)
    assert text.index("In short") < text.index("Key figures") < text.index("Who pays")
    assert "cpp cuts the district's peak demand most" in text
    for code in ("peak_reduction_pct", "bill_change_mean_eur", "fora_de_vazio", "transformer_overload_hours"):
        assert code not in text
    assert "Cut in the district's peak demand" in text and "http" not in page


def test_bills_are_per_household_per_year_with_the_method_stated(written):
    comparison, _, page = written
    result = comparison.results["cpp"]
    assert annual_factor(result) == pytest.approx(365 / 2)
    bills = bills_per_year(result)
    assert bills["bill_eur_per_year"] == pytest.approx(result.agents["bill_eur"].mean() * 365 / 2)
    assert f"{bills['bill_eur_per_year']:,.0f}" in page
    assert "× 365 / 2" in _text(page)


def test_tariffs_are_drawn_over_24_hours_with_plain_period_names_and_hours(written):
    _, _, page = written
    text = _text(page)
    assert "off-peak (vazio)" in text and "22:00–08:00" in text and "critical peak" in text
    assert "18:00–20:30" in text  # the CPP window


def test_portuguese_periods_get_their_hours_across_midnight():
    tri = tariff_day(PRESETS["tou3"], pd.Timestamp("2016-01-12").date(), 15)
    periods = {name: hours for name, _, hours in tri.periods()}
    assert periods == {
        "off-peak (vazio)": "22:00–08:00",
        "shoulder / mid-peak (cheias)": "08:00–09:00, 10:30–18:00, 20:30–22:00",
        "peak (ponta)": "09:00–10:30, 18:00–20:30",
    }


def test_the_number_of_event_days_is_stated(written):
    comparison, _, page = written
    days = event_days(comparison.results["cpp"])
    assert days, "the two winter weekdays should carry CPP events"
    assert f"cpp had {len(days)} critical-peak day" in _text(page)
    assert not event_days(comparison.results["tou"])


def test_load_charts_have_a_time_axis_and_a_visible_baseline_legend(written):
    _, _, page = written
    assert "Wed 27 Jan" in page and "time of day (local time)" in page
    legend = re.search(r"<div class=legend>(.*?)</div>", page[page.index("id=load") :]).group(1)
    assert "baseline" in legend and "dashed #444444" in legend


def test_who_pays_shows_spread_profile_groups_and_revenues(written):
    comparison, _, page = written
    text = _text(page)
    assert "How bill changes spread" in text and "5th to 95th percentile" in text
    assert "paying more with cpp [%]" in text
    assert "economic vulnerability: social tariff" in text
    table = revenues(comparison.results["cpp"])
    retailers = table[table["who"] != "grid operator (DSO)"]
    agents = comparison.results["cpp"].agents
    f = annual_factor(comparison.results["cpp"])
    bills_change = (agents["bill_eur"] - agents["baseline_bill_eur"]).sum() * f
    assert table["change_eur_per_year"].sum() == pytest.approx(bills_change)  # retailers + DSO = all bills
    # ToU is priced neutral on the run: households moved to cheap hours, so revenue falls. (CPP is priced neutral
    # over its season: on two event days out of 22 its revenue may rise.)
    tou = revenues(comparison.results["tou"])
    assert len(retailers) and (tou[tou["who"] != "grid operator (DSO)"]["change_pct"] < 0).all()


def test_small_groups_are_never_shown():
    rng = np.random.default_rng(0)
    n = 40
    agents = pd.DataFrame({
        "bill_eur": rng.uniform(10, 20, n), "baseline_bill_eur": rng.uniform(10, 20, n),
        "annual_kwh": rng.uniform(2000, 2900, n), "pv_kwp": np.r_[np.full(3, 2.0), np.zeros(n - 3)],
        "has_ev": np.zeros(n, bool), "has_hems": np.zeros(n, bool), "social_tariff": np.arange(n) < 8,
    })  # fmt: skip
    eq = equity_table(agents).set_index(["grouping", "group"])
    pv = eq.loc[("pv", "PV")]
    assert pv["households"] == 3 < MIN_GROUP_HOUSEHOLDS
    assert pv["withheld"] and pv.drop(["households", "withheld"]).isna().all()  # not the mean, not the largest loss
    assert eq.loc[("vulnerability", "social tariff"), "households"] == 8
    assert np.isfinite(eq.loc[("vulnerability", "social tariff"), "bill_change_mean_eur"])


def test_social_tariff_share_follows_the_input_and_leaves_every_other_draw_alone():
    from simulator.runner import run

    default = run(small_scenario(horizon_days=1))
    data = small_scenario(horizon_days=1).model_dump(mode="python")
    data["households"]["social_tariff_share"] = 0.5
    from simulator.scenario import scenario_from_dict

    half = run(scenario_from_dict(data))
    assert 0.35 < half.agents["social_tariff"].mean() < 0.65
    assert 0.05 < default.agents["social_tariff"].mean() < 0.35  # default 17.6 % (DGEG, Q4 2025)
    pd.testing.assert_series_equal(default.agents["bill_eur"], half.agents["bill_eur"])


def test_interval_is_students_t_on_the_mean():
    mean, _low, high = interval(np.array([1.0, 2.0, 3.0]))
    assert mean == 2.0
    assert high - mean == pytest.approx(4.302653 / np.sqrt(3), rel=1e-6)
    assert np.isnan(interval(np.array([5.0]))[1])


def test_compare_with_replicates_shows_intervals(tmp_path):
    comparison = compare(small_scenario(horizon_days=1), ["flat", "cpp"], replicates=2)
    assert comparison.seeds == [42, 43]
    iv = comparison.intervals["cpp"].loc["peak_kw"]
    assert iv["low"] <= iv["mean"] <= iv["high"]
    assert comparison.table.at["peak_kw", "cpp"] == pytest.approx((iv["seed 42"] + iv["seed 43"]) / 2)
    out = write_comparison(comparison, tmp_path / "cmp")
    assert (out / "runs" / "cpp" / "kpis.json").is_file() and (out / "runs" / "cpp-seed-43" / "kpis.json").is_file()
    assert "95 % interval" in (out / "report.html").read_text(encoding="utf-8")
    assert set(pd.read_csv(out / "replicates.csv")["option"]) == {"flat", "cpp"}


def test_run_with_replicates_writes_each_seed_and_a_summary(tmp_path, capsys):
    from simulator.cli.commands import main

    out = tmp_path / "reps"
    assert main(["run", "scenarios/quickstart.toml", "--replicates", "2", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "mean over 2 seeds" in printed and "peak_reduction_pct" in printed
    assert (out / "seed-42" / "kpis.json").is_file() and (out / "seed-43" / "kpis.json").is_file()
    summary = pd.read_csv(out / "replicates.csv", index_col="kpi")
    row = summary.loc["peak_kw"]
    assert row["mean"] == pytest.approx((row["seed 42"] + row["seed 43"]) / 2)
    assert row["low"] <= row["mean"] <= row["high"]


@pytest.mark.parametrize("bad", ["0", "-1", "two", "1000"])
def test_bad_replicates_is_exit_2(bad, capsys):
    from simulator.cli.commands import main

    with pytest.raises(SystemExit) as exited:  # argparse leaves through SystemExit, code 2, one line
        main(["compare", "scenarios/quickstart.toml", "--option", "flat", "--replicates", bad])
    assert exited.value.code == 2
    assert "--replicates" in capsys.readouterr().err


def test_help_lists_gui():
    from simulator.cli.commands import build_parser

    assert "gui" in build_parser().format_help()


def test_a_withheld_quantile_is_left_out_of_the_spread_chart_not_drawn_as_nan():
    from simulator.compare.svg import range_chart

    nan = float("nan")
    svg = range_chart([("small", {"mean": -3.0, "p5": nan, "p25": -5.0, "p50": -3.0, "p75": -1.0, "p95": nan},
                        "#000")], "€")  # fmt: skip
    assert "nan" not in svg  # Chromium logs an error for every NaN attribute
    assert svg.count("<rect") == 1 and "withheld" in svg
