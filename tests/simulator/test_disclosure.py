"""The one disclosure rule on everything a run writes, and consent in the city run's hub."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from market.disclosure import MIN_GROUP_SIZE
from simulator.errors import ScenarioError
from simulator.kpi.equity import equity_table
from simulator.meter_data.data_catalogue import consent_flags, format_catalogue
from simulator.results.run_result import read_results
from simulator.runner import Simulation, run
from simulator.scenario import scenario_from_dict
from tests.fuzz.tiny import tiny
from tests.simulator.test_market_link import tight_district


def _agents(changes_eur: list[float], ev: list[bool]) -> pd.DataFrame:
    n = len(changes_eur)
    return pd.DataFrame(
        {
            "bill_eur": 100.0 + np.asarray(changes_eur),
            "baseline_bill_eur": np.full(n, 100.0),
            "annual_kwh": np.full(n, 2000.0),
            "pv_kwp": np.zeros(n),
            "has_ev": ev,
            "has_hems": np.zeros(n, bool),
        }
    )


def test_equity_withholds_small_groups_and_no_extreme_is_one_households_own():
    changes = [1.1, 2.3, 3.7, 4.9, 5.2, 6.8, 50.0]  # one household pays 50 € more; it alone owns an EV
    table = equity_table(_agents(changes, [False] * 6 + [True])).set_index(["grouping", "group"])
    ev = table.loc[("ev", "EV")]
    assert ev["households"] == 1 and ev["withheld"]
    assert ev[["bill_change_mean_eur", "largest_loss_eur", "largest_gain_eur", "worse_off_pct"]].isna().all()
    everyone = table.loc[("all", "all households")]
    assert not everyone["withheld"]
    assert everyone["largest_loss_eur"] == pytest.approx(np.mean(sorted(changes)[-MIN_GROUP_SIZE:]))
    assert everyone["largest_gain_eur"] == pytest.approx(-np.mean(sorted(changes)[:MIN_GROUP_SIZE]))
    figures = table[[c for c in table if c.endswith("_eur")]].to_numpy().ravel()
    assert not np.isin(np.round(figures, 9), changes).any()  # no single household's change anywhere


@pytest.fixture(scope="module")
def small_substations(tmp_path_factory):
    """Two substations of three homes each: every substation series covers fewer than the minimum."""
    data = tiny(grid={"kind": "synthetic", "substations": 2, "households_per_substation": 3})
    out = tmp_path_factory.mktemp("small") / "r"
    run(scenario_from_dict(data), out)
    return read_results(out), json.loads((out / "kpis.json").read_text())


def test_series_of_fewer_than_five_homes_are_withheld_in_what_is_written(small_substations):
    written, kpis = small_substations
    sub = written.substations
    assert sub[["p_kw", "loading_pct", "vm_min_pu"]].isna().all().all()
    assert all(row["peak_kw"] is None or np.isnan(row["peak_kw"]) for row in kpis["substations"])
    district = written.district  # six homes together: shown
    assert district["load_kw"].notna().all()


def test_the_catalogue_states_the_rule():
    text = format_catalogue(scenario_from_dict(tiny()))
    assert f"fewer than {MIN_GROUP_SIZE} households" in text


def test_the_city_runs_hub_honours_households_consent_share():
    """The hub used to draw its own consent (everyone) and ignore households.consent_share."""
    scenario = tight_district(hub={"compare_without_hub": False})
    data = scenario.model_dump(mode="python", exclude_none=True)
    data["households"]["consent_share"] = 0.5
    data["hub"].pop("consent_share", None)
    scenario = scenario_from_dict(data)
    sim = Simulation(scenario)
    while not sim.done:
        sim.step()
    hub, n = sim.model.market.hub, sim.model.population.n
    declining = ~consent_flags(scenario, n)
    assert 0.3 < declining.mean() < 0.7
    np.testing.assert_array_equal(hub.access.consent[:n], ~declining)
    assert hub.counts()["completed"] > 0 and sim.model.market.dso.sent  # the DSO did act through the hub
    for platform in hub.platforms.values():  # no retailer holds a declining household's declarations
        assert (platform.flex_p_kw[:n][declining] == 0).all()
    log = hub.message_log()
    assert log.query("dst == 'meter' and src == 'hub'")["n_clients"].sum() > 0  # they were reached all the same


def test_a_partial_consent_hub_scenario_survives_a_dump_and_reload():
    """Revenue-neutral pricing, overrides and resolved scenario files re-validate a dumped scenario."""
    scenario = tight_district(hub={"compare_without_hub": False})
    data = scenario.model_dump(mode="python", exclude_none=True)
    data["households"]["consent_share"] = 0.5
    data["hub"].pop("consent_share", None)
    scenario = scenario_from_dict(data)
    again = scenario_from_dict(scenario.model_dump(mode="python"))
    assert again.households.consent_share == 0.5 and again.hub.consent_share is None
    changed = scenario.model_dump(mode="python")
    changed["households"]["consent_share"] = 0.3  # a sweep or --set over the share
    assert scenario_from_dict(changed).households.consent_share == 0.3
    changed["hub"]["consent_share"] = 0.9
    with pytest.raises(ScenarioError, match=r"hub\.consent_share"):
        scenario_from_dict(changed)
