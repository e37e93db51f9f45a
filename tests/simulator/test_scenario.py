"""Scenario files: the shipped ones validate, bad ones give one clean message naming the key path."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import ScenarioError
from simulator.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_toml
from tests.conftest import SCENARIOS, quickstart_dict

CITY_SCENARIOS = [p for p in sorted(SCENARIOS.glob("*.toml")) if 'kind = "hub_stress"' not in p.read_text()]


@pytest.mark.parametrize("path", CITY_SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_city_scenario_validates(path):
    scenario = load_scenario(path)
    assert scenario.n_steps > 0
    assert scenario.expect, "every shipped scenario carries KPI bands for `check`"


def test_resolved_scenario_round_trips_through_toml(tmp_path):
    scenario = load_scenario(SCENARIOS / "quickstart.toml")
    (tmp_path / "s.toml").write_text(scenario_to_toml(scenario))
    assert load_scenario(tmp_path / "s.toml") == scenario


def test_bad_value_names_key_path_value_and_bound():
    data = quickstart_dict()
    data["ev"] = {"share": 1.2}
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, source="x.toml")
    text = str(info.value)
    assert "x.toml" in text and "ev.share" in text and "1.2" in text and "less than or equal to 1" in text


def test_every_problem_reported_at_once():
    data = quickstart_dict(step_minutes=7, seed=-1)
    data["households"] = {"hems_share": 2, "colour": "blue"}
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    paths = " ".join(info.value.problems)
    for key in ("step_minutes", "seed", "households.hems_share", "households.colour"):
        assert key in paths


def test_unknown_tariff_and_shares_not_summing_to_one():
    data = quickstart_dict()
    data["retailers"] = [{"name": "A", "customer_share": 0.5, "tariff": "nope"}]
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    assert "unknown tariff 'nope'" in str(info.value) and "sum to 1" in str(info.value)


def test_toml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\nseed = = 3\n')
    with pytest.raises(ScenarioError, match=r"(?s)broken\.toml.*line 2"):
        load_scenario(path)


def test_missing_file():
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(SCENARIOS / "does_not_exist.toml")


# --- hypothesis: mutations of a valid scenario never escape as anything but ScenarioError ---------

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(data, prefix=()):
    for key, value in data.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _paths(value, (*prefix, key))


_BASE = quickstart_dict()
_ALL_PATHS = list(_paths(_BASE))


@st.composite
def mutated(draw):
    data = copy.deepcopy(_BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_ALL_PATHS))
        node = data
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                break
        else:
            action = draw(st.sampled_from(["set", "delete", "add"]))
            if action == "set":
                node[path[-1]] = draw(_values)
            elif action == "delete":
                node.pop(path[-1], None)
            else:
                node[draw(st.text(min_size=1, max_size=8))] = draw(_values)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_scenarios_validate_or_fail_cleanly(data):
    try:
        scenario = scenario_from_dict(data, source="mutant.toml")
    except ScenarioError as exc:
        assert str(exc).startswith("mutant.toml: invalid scenario")
        assert exc.problems and all(":" in p for p in exc.problems)
    else:
        assert isinstance(scenario, Scenario)
