import json
import math
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import ScenarioError
from simulator.hub_stress.replay import format_hub_stress, run_hub_stress
from simulator.hub_stress.spec import ExperimentSpec, HubStressSpec, hub_stress_from_dict, load_hub_stress

SCENARIO = Path(__file__).parents[2] / "scenarios" / "upgrid_mhp_stress.toml"


@pytest.fixture(scope="module")
def small():
    """The shipped replay at a fifth of the rate and with smaller experiments."""
    spec = load_hub_stress(SCENARIO)
    spec = spec.model_copy(
        update={
            **{k: t.model_copy(update={"rate_per_min": 6.0}) for k, t in spec.request_types().items()},
            "experiments": (
                ExperimentSpec(name="clients", vary="clients", values=(100, 1000, 5000)),
                ExperimentSpec(name="retailers", vary="retailers", values=(1, 5, 10)),
            ),
        }
    )
    return run_hub_stress(spec)


def test_latency_grows_with_clients_and_with_retailers(small):
    for name, component in (("clients", "storage_ms"), ("retailers", "hub_ms")):
        table = small.experiments[name]
        overall = table[table["kind"] == "all"]
        assert np.all(np.diff(overall["mean_ms"]) > 0), name
        assert np.all(np.diff(overall[component]) > 0), (name, component)  # seed 004: HASS / MHP most affected
        assert small.kpis[f"{name}_latency_monotonic"] == 1.0


def test_lost_requests_only_around_the_outage_and_recovery_after_reboot(small):
    losses = small.losses.set_index("minute")
    assert losses.loc[[5, 6], "lost"].sum() == losses.loc[[5, 6], "sent"].sum() > 0
    assert losses.drop(index=[5, 6])["lost"].sum() == 0
    assert (losses.drop(index=[5, 6])["completed"] == losses.drop(index=[5, 6])["sent"]).all()
    assert small.kpis["lost_outside_outage"] == 0
    assert 0.9 < small.kpis["recovery_latency_ratio"] < 1.1
    assert small.kpis["reboot_latency_ratio"] > 1.0  # a cold hub is slower in the minute after its boot
    pm = small.per_minute
    assert pm.loc[pm["minute"].isin([5, 6]), "mean_ms"].isna().all()


def test_counts_add_up_and_tables_have_every_kind(small):
    k = small.kpis
    assert k["requests_sent"] == k["requests_completed"] + k["requests_failed"] + k["requests_lost"]
    assert set(small.per_minute["kind"]) == {"flexibility", "emergency", "load_shift", "billing"}
    assert {"hub_ms", "storage_ms", "platform_ms"} <= set(small.components.columns)
    # the retailer platform's [100, 110) ms delay (seed 004) shows in every request's breakdown
    assert small.components["platform_ms"].between(100, 110 * 3 + 10).all()
    text = format_hub_stress(small)
    assert "Latency per minute — flexibility" in text and "Experiment: retailers" in text


def test_results_are_written_atomically(tmp_path):
    spec = HubStressSpec(name="tiny", duration_s=120.0, clients=20, experiments=())
    spec = spec.model_copy(update={"hub": spec.hub.model_copy(update={"faults": ()})})
    result = run_hub_stress(spec, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(
        [
            ".cityflex",
            "components.parquet",
            "kpis.json",
            "losses.parquet",
            "messages.parquet",
            "per_minute.parquet",
            "requests.parquet",
        ]
    )
    assert json.loads((tmp_path / "out" / "kpis.json").read_text())["requests_lost"] == 0
    assert result.kpis["requests_completed"] == result.kpis["requests_sent"] > 0


def test_shipped_scenario_is_valid_and_cites_seed_004():
    spec = load_hub_stress(SCENARIO)
    assert spec.kind == "hub_stress" and spec.clients == 100 and spec.retailers == 1
    assert spec.billing.client_share == 0.3 and spec.flexibility.client_share == 0.1
    assert [e.values for e in spec.experiments] == [(100, 1000, 10000), (1, 5, 10)]
    assert all("seed 004" in v or "assumption" in v for v in spec.provenance.values())
    for key in ("flexibility.rate_per_min", "billing.client_share", "experiments.clients", "hub.faults"):
        assert "seed 004" in spec.provenance[key]


def test_bad_scenario_lists_every_problem():
    with pytest.raises(ScenarioError) as err:
        hub_stress_from_dict({"kind": "hub_stress", "name": "x", "clients": 0, "billing": {"rate": 3}})
    assert "clients" in str(err.value) and "billing.rate" in str(err.value)
    with pytest.raises(ScenarioError, match="reads hub_stress scenarios"):
        hub_stress_from_dict({"kind": "city"})


@pytest.mark.slow
def test_full_replay_stays_in_its_expected_bands():
    spec = load_hub_stress(SCENARIO)
    result = run_hub_stress(spec)
    for kpi, (low, high) in spec.expect.items():
        value = result.kpis[kpi]
        assert not math.isnan(value) and low <= value <= high, (kpi, value, low, high)
