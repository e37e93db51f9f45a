"""Per-step series for the views, from a live `Simulation` (its recorder arrays, no copy) or a finished `RunResult`.

Times are the scenario's local clock as seconds since the epoch read as UTC, so a date axis with
`utcOffset=0` shows them unchanged. A substation's series is NaN where the disclosure rule withholds it
(`gui.group_disclosure`: 1–4 homes, one of whom declined consent).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from gui.group_disclosure import withheld_groups
from simulator.meter_data.data_catalogue import consent_flags
from simulator.results.run_result import RunResult
from simulator.runner import Simulation
from simulator.scenario import Scenario

CASES = ("scenario", "baseline")


def epoch_s(times: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """Naive local times as float seconds since 1970 (read as UTC)."""
    times = pd.DatetimeIndex(times)
    if times.tz is not None:
        times = times.tz_localize(None)
    return times.as_unit("ns").asi8.astype(np.float64) / 1e9


class RunSeries(Protocol):
    """What the plots read: `n` steps available of the scenario's horizon."""

    scenario: Scenario
    times_s: np.ndarray
    substation_names: list[str]
    withheld: np.ndarray  # per substation: its figures are withheld (disclosure rule)

    @property
    def n(self) -> int:
        """Steps with data so far."""
        ...

    def district(self, name: str, case: str = "scenario") -> np.ndarray:
        """A district series over the whole horizon (NaN where not simulated yet)."""
        ...

    def substation(self, name: str, case: str = "scenario") -> np.ndarray:
        """A substation series, steps × substations."""
        ...


class LiveSeries:
    """Reads the running models' recorder arrays in place."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.scenario = sim.scenario
        self.times_s = epoch_s(sim.model.times)
        self.substation_names = list(sim.model.grid.substation_names)
        pop = sim.model.population
        self.withheld = withheld_groups(pop.substation, consent_flags(sim.scenario, pop.n), len(self.substation_names))

    @property
    def n(self) -> int:
        """Steps done so far."""
        return int(self.sim.model.steps)

    def _model(self, case: str):
        return self.sim.model if case == "scenario" else self.sim.baseline

    def district(self, name: str, case: str = "scenario") -> np.ndarray:
        """A district series."""
        return self._model(case).recorder.district[name]

    def substation(self, name: str, case: str = "scenario") -> np.ndarray:
        """A substation series, steps × substations (withheld columns NaN: then a copy, else the recorder's array)."""
        return _withhold(self._model(case).recorder.substation[name], self.withheld)


class ResultSeries:
    """The same series from a finished run's tables."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.scenario = result.scenario
        self._district = {c: result.case("district", c) for c in CASES}
        self._substations = {c: result.case("substations", c) for c in CASES}
        self.times_s = epoch_s(pd.DatetimeIndex(self._district["scenario"]["time"]))
        subs = self._substations["scenario"]
        self.substation_names = list(dict.fromkeys(subs["substation"])) if len(subs) else []
        agents = result.agents
        if "substation" in agents and len(self.substation_names):
            index = {name: i for i, name in enumerate(self.substation_names)}
            of = agents["substation"].astype(str).map(index).fillna(-1).to_numpy(dtype=np.int64)
            consent = agents["consent"].to_numpy(dtype=bool) if "consent" in agents else np.ones(len(of), bool)
            self.withheld = withheld_groups(of, consent, len(self.substation_names))
        else:  # tables written by cityflex already withhold small substations' series
            self.withheld = np.zeros(len(self.substation_names), dtype=bool)

    @property
    def n(self) -> int:
        """Every step of the run."""
        return len(self.times_s)

    def district(self, name: str, case: str = "scenario") -> np.ndarray:
        """A district series."""
        frame = self._district[case]
        return frame[name].to_numpy(dtype=float) if name in frame else np.full(self.n, np.nan)

    def substation(self, name: str, case: str = "scenario") -> np.ndarray:
        """A substation series, steps × substations."""
        frame = self._substations[case]
        values = frame[name].to_numpy(dtype=float) if name in frame else np.full(len(frame), np.nan)
        return _withhold(values.reshape(self.n, max(len(self.substation_names), 1)), self.withheld)


def _withhold(values: np.ndarray, withheld: np.ndarray) -> np.ndarray:
    """`values` (steps × substations) with the withheld substations' columns NaN."""
    if not withheld.any():
        return values
    out = np.array(values, dtype=float)
    out[:, withheld] = np.nan
    return out
