"""Scenario overrides (`--set KEY=VALUE`, `overrides={...}`) and the tariff registry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from market.tariffs import TARIFF_KINDS, FlatTariff, tariff_from_dict, tariff_kind
from simulator.errors import ScenarioError
from simulator.scenario_overrides import apply_overrides, parse_assignment, parse_value, set_key_paths
from tests.conftest import small_scenario


def test_values_are_read_as_toml_and_text_stays_text():
    assert parse_assignment("households.hems_share=0.3") == ("households.hems_share", 0.3)
    assert parse_value("true") is True and parse_value("[1, 2]") == [1, 2] and parse_value("my_run") == "my_run"
    assert parse_value('"7"') == "7" and parse_value("7") == 7 and parse_value("{ kind = 'flat' }") == {"kind": "flat"}


def test_overrides_reach_nested_tables_and_list_items():
    scenario = small_scenario()
    changed = apply_overrides(scenario, {"households.hems_share": 0.5, "retailers.0.name": "R", "seed": 3})
    assert changed.households.hems_share == 0.5 and changed.retailers[0].name == "R" and changed.seed == 3
    assert scenario.households.hems_share != 0.5 or scenario.seed != 3  # the original is unchanged
    with pytest.raises(ScenarioError, match=r"retailers.9.name: retailers is a list of \d+; '9' is not an index"):
        apply_overrides(scenario, {"retailers.9.name": "R"})
    with pytest.raises(ScenarioError, match=r"households\.hems_shar"):
        apply_overrides(scenario, {"households.hems_shar": 0.5})


@given(st.text(max_size=60))
def test_any_assignment_text_is_a_pair_or_a_value_error(text):
    try:
        key, _ = parse_assignment(text)
    except ValueError as exc:
        assert "KEY=VALUE" in str(exc) or "empty part" in str(exc)
    else:
        assert key and all(part.strip() for part in key.split("."))


@given(st.dictionaries(st.sampled_from(["a", "a.b", "a.b.c", "x", "x.0", "l.1"]), st.integers(), max_size=4))
def test_setting_paths_never_raises_anything_but_a_scenario_error(overrides):
    data = {"a": {"b": {"c": 1}}, "x": 5, "l": [1, 2]}
    try:
        out = set_key_paths(data, overrides, "<test>")
    except ScenarioError as exc:
        assert all(p.split(":")[0] in overrides for p in exc.problems)
    else:
        assert data == {"a": {"b": {"c": 1}}, "x": 5, "l": [1, 2]}  # a copy: the input stays
        for key, value in overrides.items():
            if any(o.startswith(f"{key}.") or key.startswith(f"{o}.") for o in overrides if o != key):
                continue  # one overrides the other: the later one wins, as in a TOML file read top to bottom
            node = out
            for part in key.split("."):
                node = node[int(part)] if isinstance(node, list) else node[part]
            assert node == value


def test_one_tariff_registry_by_kind_name():
    assert list(TARIFF_KINDS) == ["flat", "tou", "cpp", "dynamic"]
    assert all(cls.model_fields["kind"].default == name for name, cls in TARIFF_KINDS.items())
    assert tariff_kind("flat") is FlatTariff
    assert isinstance(tariff_from_dict({"kind": "flat", "energy_eur_per_kwh": 0.2}), FlatTariff)
    with pytest.raises(ValueError, match="'tiered' is not a tariff kind; known: flat, tou, cpp, dynamic"):
        tariff_kind("tiered")
