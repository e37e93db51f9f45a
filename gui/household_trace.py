"""Every household's power at every step of a run, kept by the window so the inspector can plot any home.

The engine keeps only the current step's per-household arrays; the worker copies them here after
each step (a few µs for 10,000 homes). float32, steps × households: 3 series of lisbon_upgrid's
13,020 homes over a week are 105 MB, freed with the next run. A results directory opened from disk
has no per-household series (they never leave the run: consent, seed 003).
"""

from __future__ import annotations

import numpy as np

from simulator.runner import Simulation

SERIES = {"load_kw": "load (base + appliances + EV)", "pv_kw": "PV generation", "ev_kw": "EV charging"}


class HouseholdTrace:
    """`values[name]` is steps × households; NaN where the step has not run."""

    def __init__(self, sim: Simulation) -> None:
        self.fleet = sim.model.fleet["households"]
        n_steps, n = sim.scenario.n_steps, sim.model.population.n
        self.values = {name: np.full((n_steps, n), np.nan, dtype=np.float32) for name in SERIES}
        self.steps = 0

    def record(self, k: int) -> None:
        """Copy step `k`'s per-household arrays (called in the worker's thread, right after the step)."""
        for name, values in self.values.items():
            values[k] = getattr(self.fleet, name)
        self.steps = k + 1

    def release(self) -> None:
        """Forget the fleet (the run's model), keep the recorded arrays."""
        self.fleet = None

    def household(self, row: int) -> dict[str, np.ndarray]:
        """One household's series over the steps run so far, by name [kW]."""
        return {name: values[: self.steps, row] for name, values in self.values.items()}
