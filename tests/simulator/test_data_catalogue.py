"""The personal-data catalogue and consent-honouring exports."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from simulator.cli.commands import main
from simulator.meter_data.data_catalogue import catalogue, consent_flags
from simulator.results.run_result import write_results
from simulator.runner import run
from tests.conftest import SCENARIOS, small_scenario


def test_catalogue_lists_what_the_scenario_uses_with_why_who_and_retention():
    scenario = small_scenario()
    names = [d.datum for d in catalogue(scenario)]
    assert "household consumption" in names and any("EV presence" in n for n in names)
    assert all(d.why and d.visible_to and d.retention for d in catalogue(scenario))
    no_ev = small_scenario(ev={"share": 0.0})
    assert not any("EV" in d.datum for d in catalogue(no_ev))


def test_cli_prints_the_catalogue_and_writes_csv(tmp_path, capsys):
    code = main(["data-catalogue", str(SCENARIOS / "meter_demo.toml"), "--out", str(tmp_path / "c.csv")])
    out = capsys.readouterr().out
    assert code == 0 and "smart-meter readings" in out and "visible to" in out
    assert (tmp_path / "c.csv").read_text().startswith("datum,granularity,why,visible_to,retention")


def test_exports_hold_only_consenting_households_and_aggregates_hold_all(tmp_path):
    data = small_scenario().model_dump()
    data["households"]["consent_share"] = 0.5
    scenario = small_scenario(households=data["households"])
    flags = consent_flags(scenario, 150)
    assert 0 < flags.sum() < 150 and (flags == consent_flags(scenario, 150)).all()
    result = run(scenario)
    write_results(result, tmp_path / "r")
    exported = pq.read_table(tmp_path / "r" / "agents.parquet").to_pandas()
    assert len(exported) == flags.sum() and exported["consent"].all()
    assert result.kpis["bill_mean_eur"] == pytest.approx(result.agents["bill_eur"].mean())
