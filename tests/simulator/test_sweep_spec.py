"""The sweep file: parsing, key paths, design expansion, Latin hypercube strata, clean errors."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from simulator.sweep.design import load_sweep, parse_sweep, run_id
from simulator.sweep.spec import SweepSpecError
from tests.conftest import SCENARIOS, quickstart_dict

TINY_GRID = {"households_per_substation": 10}


def write_sweep(tmp_path: Path, sweep: dict, *, horizon_days: float = 1, name: str = "sweep.toml") -> Path:
    """A tiny base scenario (quickstart, 2 × 10 households) and a sweep file over it, in `tmp_path`."""
    base = quickstart_dict(horizon_days=horizon_days)
    base["grid"] = {**base["grid"], **TINY_GRID}
    (tmp_path / "base.toml").write_text(tomli_w.dumps(base))
    path = tmp_path / name
    path.write_text(tomli_w.dumps({"base": "base.toml", **sweep}))
    return path


SMALL = {
    "kpis": ["peak_reduction_pct", "bill_change_mean_eur", "energy_shifted_kwh"],
    "seeds": {"count": 2, "first": 1},
    "parameters": {"households.hems_share": [0.0, 0.5]},
}


def test_grid_expands_every_combination_in_design_order(tmp_path):
    path = write_sweep(
        tmp_path,
        {
            "parameters": {"households.hems_share": [0.0, 0.5], "ev.share": {"start": 0.0, "stop": 0.3, "step": 0.1}},
            "seeds": [3, 4],
        },
    )
    plan = load_sweep(path)
    assert len(plan.runs) == 2 * 4 * 2
    assert plan.parameter_keys == ["households.hems_share", "ev.share", "seed"]
    first, last = plan.runs[0], plan.runs[-1]
    assert first.params == {"households.hems_share": 0.0, "ev.share": 0.0, "seed": 3}
    assert last.params == {"households.hems_share": 0.5, "ev.share": 0.3, "seed": 4}
    assert last.scenario.ev.share == 0.3 and last.scenario.seed == 4 and last.scenario.households.hems_share == 0.5
    assert [r.index for r in plan.runs] == list(range(16))
    assert len({r.run_id for r in plan.runs}) == 16
    assert first.run_id == run_id({"seed": 3, "ev.share": 0.0, "households.hems_share": 0.0})  # key order free


def test_dotted_toml_keys_nested_tariff_paths_and_linspace(tmp_path):
    path = tmp_path / "s.toml"
    write_sweep(tmp_path, {"parameters": {"seed": [1]}})
    path.write_text(
        'base = "base.toml"\n[parameters]\nhouseholds.hems_share = [0.2]\n'
        "tariffs.bi_horario.energy_eur_per_kwh.vazio = {start = 0.06, stop = 0.12, num = 4}\n"
    )
    plan = load_sweep(path)
    assert [r.params["tariffs.bi_horario.energy_eur_per_kwh.vazio"] for r in plan.runs] == [0.06, 0.08, 0.1, 0.12]
    assert plan.runs[1].scenario.tariffs["bi_horario"].energy_eur_per_kwh["vazio"] == 0.08
    assert all(r.scenario.seed == 42 for r in plan.runs)  # no seeds given: the base scenario's seed


def test_the_shipped_example_loads():
    plan = load_sweep(SCENARIOS / "sweeps" / "hems_share.toml")
    assert len(plan.runs) == 6 and plan.name == "hems_share"


@pytest.mark.parametrize(
    ("sweep", "needles"),
    [
        ({"parameters": {"households.hems_shar": [0.1]}}, ["parameters.households.hems_shar", "no key 'hems_shar'"]),
        ({"parameters": {"households.hems_share": [0.5, 1.5]}}, ["households.hems_share = 1.5", "less than or equal"]),
        ({"parameters": {"ev.share": {"start": 0, "stop": 1, "step": 0}}}, ["parameters.ev.share", "step"]),
        ({"parameters": {"ev.share": {"min": 0, "max": 1}}}, ["parameters.ev.share", "needs design = 'lhs'"]),
        ({"design": "lhs", "parameters": {"ev.share": [0.1]}}, ["samples"]),
        ({"kpis": ["peak_reduction"], "seeds": [1]}, ["kpis", "peak_reduction"]),
        ({"parameters": {"retailers.4.name": ["x"]}}, ["retailers.4.name", "list of 1"]),
        ({"base": "missing.toml", "seeds": [1]}, ["base", "missing.toml"]),
        ({"bogus": 1, "seeds": [1]}, ["bogus", "Extra inputs"]),
    ],
)
def test_bad_sweep_files_name_the_file_the_key_path_and_the_value(tmp_path, sweep, needles):
    path = write_sweep(tmp_path, sweep)
    with pytest.raises(SweepSpecError) as info:
        load_sweep(path)
    message = str(info.value)
    assert str(path) in message and "invalid sweep" in message
    for needle in needles:
        assert needle in message


def test_a_combination_that_breaks_the_base_names_the_run_and_the_key(tmp_path):
    # each value is valid alone; 0.0625 days (90 min) is not a whole number of 60-minute steps
    path = write_sweep(tmp_path, {"parameters": {"horizon_days": [1, 0.0625], "step_minutes": [15, 60]}})
    with pytest.raises(SweepSpecError) as info:
        load_sweep(path)
    (problem,) = info.value.problems
    assert "horizon_days=0.0625, step_minutes=60" in problem and problem.startswith("run ")
    assert "horizon_days: must be a whole number of steps" in problem


def test_lhs_is_reproducible_by_seed_and_crossed_with_seeds(tmp_path):
    sweep = {
        "design": "lhs",
        "samples": 7,
        "design_seed": 11,
        "seeds": {"count": 2},
        "parameters": {"households.hems_share": {"min": 0.0, "max": 1.0}, "ev.share": [0.0, 0.1, 0.2]},
    }
    a = load_sweep(write_sweep(tmp_path, sweep, name="a.toml"))
    b = load_sweep(write_sweep(tmp_path, sweep, name="b.toml"))
    c = load_sweep(write_sweep(tmp_path, {**sweep, "design_seed": 12}, name="c.toml"))
    assert [r.params for r in a.runs] == [r.params for r in b.runs]
    assert [r.params for r in a.runs] != [r.params for r in c.runs]
    assert [r.params["seed"] for r in a.runs[:4]] == [0, 1, 0, 1]
    shares = [r.params["households.hems_share"] for r in a.runs[::2]]
    assert sorted(math.floor(s * 7) for s in shares) == list(range(7))  # one sample per stratum


@settings(max_examples=40, deadline=None)
@given(samples=st.integers(1, 60), lows=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=4), seed=st.integers(0))
def test_lhs_puts_each_parameters_samples_in_distinct_strata(samples, lows, seed):
    from simulator.sweep.design import latin_hypercube

    unit = latin_hypercube(samples, len(lows), seed)
    assert unit.shape == (samples, len(lows))
    for j in range(len(lows)):
        strata = np.floor(unit[:, j] * samples).astype(int)
        assert sorted(strata) == list(range(samples))
    assert np.array_equal(unit, latin_hypercube(samples, len(lows), seed))


# Property: whatever the sweep file holds, parsing ends in a spec or one SweepSpecError, never a traceback.
segments = st.sampled_from(["households", "hems_share", "ev", "share", "seed", "x", "", "0", "tariffs", "a b", "pv"])
key_paths = st.lists(segments, min_size=1, max_size=4).map(".".join)
numbers = st.one_of(
    st.integers(-5, 5), st.floats(-5, 5), st.sampled_from([math.nan, math.inf, 0.0, 1e-300, 10**30, True])
)
forms = st.one_of(
    st.lists(st.one_of(numbers, st.text(max_size=3)), max_size=4),
    st.fixed_dictionaries({"start": numbers, "stop": numbers, "step": numbers}),
    st.fixed_dictionaries({"start": numbers, "stop": numbers, "num": st.integers(-2, 6)}),
    st.fixed_dictionaries({"min": numbers, "max": numbers}),
    st.fixed_dictionaries({"count": st.integers(-1, 4)}, optional={"first": numbers}),
    st.dictionaries(st.sampled_from(["start", "foo", "step", "stop"]), numbers, max_size=3),
    numbers,
    st.text(max_size=3),
)
sweeps = st.fixed_dictionaries(
    {"parameters": st.dictionaries(key_paths, forms, max_size=3)},
    optional={
        "design": st.sampled_from(["grid", "lhs", "random"]),
        "samples": st.integers(-1, 5),
        "design_seed": st.integers(-1, 3),
        "seeds": st.one_of(st.lists(st.integers(-1, 3), max_size=3), st.fixed_dictionaries({"count": numbers})),
        "kpis": st.lists(st.sampled_from(["peak_kw", "nope", "peak_reduction_pct"]), max_size=3),
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sweep=sweeps)
def test_any_sweep_file_parses_or_fails_with_one_clean_error(tmp_path, sweep):
    try:
        spec = parse_sweep({"base": "base.toml", **sweep}, "fuzz.toml")
    except SweepSpecError as exc:
        assert str(exc).startswith("fuzz.toml: invalid sweep") and exc.problems
        return
    assert spec.parameters or spec.seeds is not None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sweep=sweeps)
@example(sweep={"parameters": {}, "seeds": []})  # an empty seed list used to give a sweep of no runs
def test_any_sweep_file_loads_against_the_base_or_fails_cleanly(tmp_path, sweep):
    path = write_sweep(tmp_path, sweep)
    try:
        plan = load_sweep(path)
    except SweepSpecError as exc:
        assert str(path) in str(exc) and exc.problems
        return
    assert plan.runs and len({r.run_id for r in plan.runs}) == len(plan.runs)
