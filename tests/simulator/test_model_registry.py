"""Finished runs are freed: mesa 3.3 keeps every model in a class-level registry (`Agent._ids`) unless told.

Before the fix, each run, comparison option, sweep point or replicate kept its models (the run, its
baseline and those built to price tariffs revenue-neutral) for the life of the process.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from simulator.model_registry import registered_models
from simulator.runner import Simulation
from tests.conftest import small_scenario

RUNS = 3


def test_finished_runs_do_not_keep_their_models_alive():
    scenario = small_scenario(horizon_days=0.25)
    refs, results = [], []
    for _ in range(RUNS):
        sim = Simulation(scenario)
        refs += [weakref.ref(sim.model), weakref.ref(sim.baseline)]
        results.append(sim.run())  # the results are kept: they must not hold the models
        del sim
    gc.collect()
    alive = sum(ref() is not None for ref in refs)
    assert alive == 0, f"{alive} of {len(refs)} models of {RUNS} finished runs are still alive"
    assert all(len(r.agents) for r in results)


def test_a_comparison_leaves_no_model_in_mesas_registry():
    from simulator.compare.engine import compare

    before = set(map(id, registered_models()))
    compare(small_scenario(horizon_days=0.25), ["flat", "tou", "cpp"])
    assert {id(m) for m in registered_models()} - before == set()


class Cancelled(Exception):
    pass


def _cancel_at_step_3(done: int, total: int) -> None:
    if done == 3:
        raise Cancelled


def test_a_cancelled_run_releases_its_models_too():
    sim = Simulation(small_scenario(horizon_days=0.25))
    refs = [weakref.ref(sim.model), weakref.ref(sim.baseline)]
    with pytest.raises(Cancelled) as raised:
        sim.run(_cancel_at_step_3)
    del sim, raised  # the traceback holds the run's frames
    gc.collect()
    assert all(ref() is None for ref in refs)
