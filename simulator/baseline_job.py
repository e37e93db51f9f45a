"""The counterfactual baseline run in a second process, alongside the scenario's own run.

The two models do not depend on each other, so on a machine with two cores a headless run takes
about the time of one model. The baseline comes back as a `SimpleNamespace` of the model's plain
state (recorder, bills, plans, timings): what the runner reads of it, without agents or the grid.
The result is bit-identical to the lockstep run (tested): the child builds the same grid and
draws from the same seeded streams.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.scenario import Scenario

# live objects the runner never reads of the baseline: agents and the network
_LEFT_BEHIND = frozenset(
    {"grid", "households", "hems", "evs", "retailers", "dso", "streams", "rng", "random", "fleet", "fleets", "tertiary"}
)
# the fleets' arrays the runner reads of the baseline (model properties, not in vars(model))
_FLEET_ARRAYS = ("population", "book", "bill_eur", "bill_network_eur", "household_tariff", "contracted_kva")


class BaselineJob:
    """Starts the baseline model in a child process at once; `result()` waits for it."""

    def __init__(self, scenario: Scenario) -> None:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context(method))
        self._future = self._pool.submit(run_baseline, scenario)

    def result(self) -> SimpleNamespace:
        """The finished baseline's state (raises what the child raised)."""
        try:
            return self._future.result()
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        """Stop waiting for the child (it is left to finish; its result is dropped)."""
        self._future.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)


def run_baseline(scenario: Scenario) -> SimpleNamespace:
    """Run the baseline model to the end and return its portable state."""
    model = CityModel(scenario, demand_response=False)
    while model.running:
        model.step()
    release_model(model)
    return portable_state(model)


def portable_state(model: CityModel) -> SimpleNamespace:
    """The model's public plain state that pickles, plus the grid's name and substations."""
    state = {}
    for name, value in vars(model).items():
        if name.startswith("_") or name in _LEFT_BEHIND:
            continue
        try:
            pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            continue
        state[name] = value
    state.update({name: getattr(model, name) for name in _FLEET_ARRAYS})
    state["grid"] = SimpleNamespace(backend=model.grid.backend, substation_names=list(model.grid.substation_names))
    state["steps"] = model.steps
    state["running"] = model.running
    return SimpleNamespace(**state)
