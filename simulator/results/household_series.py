"""Optional per-household series (`[output] household_series`), fine enough to re-solve any step.

They also give any peak-window effect per home. Only consenting households are recorded (seed 003), like the
agents table.

"step": every consenting home's net active power and reactive power at its meter in every step (with the
substations' Q in `substations.parquet`, any step's power flow can be re-solved independently); "daily":
per home and day its consumption, import, export and highest net power.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.errors import ScenarioError

# Bytes per table row while a run builds it: the recorder's float32 arrays plus the long frame's columns
# (row int32, time datetime64, values); "daily" keeps float64 sums.
_ROW_BYTES = {"step": 2 * 4 + 4 + 8 + 2 * 4, "daily": 4 * 8 + 4 + 8 + 4 * 8}


def series_size_mb(mode: str, n_households: int, n_steps: int, steps_per_day: int) -> float:
    """Memory the per-household series of a run take while it builds them [MB] (0 for "none")."""
    if mode not in _ROW_BYTES:
        return 0.0
    rows = n_households * (n_steps if mode == "step" else -(-n_steps // steps_per_day))
    return rows * _ROW_BYTES[mode] / 1e6


def check_series_size(scenario, n_households: int) -> None:
    """Refuse, before the run, per-household series larger than `[output] household_series_max_mb`."""
    out = scenario.output
    size = series_size_mb(out.household_series, n_households, scenario.n_steps, scenario.steps_per_day)
    if size > out.household_series_max_mb:
        raise ScenarioError(
            scenario.name,
            [
                f"output.household_series = {out.household_series!r} for {n_households:,} households over "
                f"{scenario.n_steps:,} steps needs about {size:,.0f} MB, above output.household_series_max_mb = "
                f'{out.household_series_max_mb:,.0f}; use "daily", a shorter horizon or fewer households, '
                "or raise the limit if this machine has the memory"
            ],
        )


class HouseholdSeries:
    """Preallocated per-household arrays of the consenting rows; `frame` turns them into a long table."""

    def __init__(self, mode: str, consent: np.ndarray, n_steps: int, steps_per_day: int, step_h: float) -> None:
        self.mode = mode
        self.rows = np.flatnonzero(consent)
        self.steps_per_day, self.step_h = steps_per_day, step_h
        n, days = len(self.rows), -(-n_steps // steps_per_day)
        if mode == "step":
            self.values = {name: np.zeros((n_steps, n), dtype=np.float32) for name in ("p_kw", "q_kvar")}
        else:
            names = ("energy_kwh", "import_kwh", "export_kwh")
            self.values = {name: np.zeros((days, n)) for name in names}
            self.values["peak_kw"] = np.full((days, n), -np.inf)

    def record(self, k: int, p_kw: np.ndarray, q_kvar: np.ndarray, load_kw: np.ndarray) -> None:
        """Take in one step's power of every household (arrays over all households)."""
        p = p_kw[self.rows]
        v = self.values
        if self.mode == "step":
            v["p_kw"][k] = p
            v["q_kvar"][k] = q_kvar[self.rows]
            return
        day = k // self.steps_per_day
        v["energy_kwh"][day] += load_kw[self.rows] * self.step_h
        v["import_kwh"][day] += np.maximum(p, 0.0) * self.step_h
        v["export_kwh"][day] += np.maximum(-p, 0.0) * self.step_h
        np.maximum(v["peak_kw"][day], p, out=v["peak_kw"][day])

    def frame(self, times: pd.DatetimeIndex) -> pd.DataFrame:
        """Long table: one row per consenting household and step (or day)."""
        first = next(iter(self.values.values()))
        n_t, n = first.shape
        when = times if self.mode == "step" else times[:: self.steps_per_day][:n_t]
        out = pd.DataFrame(
            {
                "row": np.tile(self.rows.astype(np.int32), n_t),
                "time": np.repeat(np.asarray(when, dtype="datetime64[ns]"), n),
            }
        )
        for name, values in self.values.items():
            out[name] = values.ravel()
        return out
