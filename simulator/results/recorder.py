"""Per-step records of one model, in arrays allocated once; turned into tables at the end of the run.

Per-household numbers are kept as running totals (not per step), so memory does not grow with
households × steps; per-step series are kept for the district and for each substation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DISTRICT_SERIES = (
    "load_kw",  # household consumption incl. flexible appliances and EV charging, before PV
    "pv_kw",  # PV generation
    "net_load_kw",  # load − PV at the household meters
    "appliance_kw",  # flexible appliances
    "ev_kw",  # EV charging
    "import_kw",  # at the external grid (primary substation): net load + losses
    "losses_kw",  # lines and transformers
    "vm_min_pu",
    "vm_max_pu",
    "line_loading_max_pct",
    "price_mean_eur_per_kwh",  # mean price households face in this step
)
SUBSTATION_SERIES = (
    "p_kw",
    "loading_pct",
    "vm_min_pu",
    "vm_max_pu",
    "line_loading_max_pct",
    "q_kvar",  # reactive power of the loads behind the substation (households and buildings), converged or not
)
HOUSEHOLD_TOTALS = (
    "energy_kwh",
    "pv_kwh",
    "import_kwh",
    "export_kwh",
    "ev_kwh",
    "appliance_kwh",
    "shifted_kwh",
    "deferred_kwh",  # flexible energy planned after the last step (simulator.after_horizon)
    "deferred_bill_eur",  # what it costs at the planned slots' prices (included in the bill)
    "export_credit_eur",  # paid for exported PV energy (feed-in or net metering; subtracted from the bill)
)


class Recorder:
    """Preallocated per-step district and substation series plus per-household running totals."""

    def __init__(self, n_steps: int, n_substations: int, n_households: int) -> None:
        self.district = {name: np.full(n_steps, np.nan) for name in DISTRICT_SERIES}
        self.converged = np.zeros(n_steps, dtype=bool)
        self.substation = {name: np.full((n_steps, n_substations), np.nan) for name in SUBSTATION_SERIES}
        self.household = {name: np.zeros(n_households) for name in HOUSEHOLD_TOTALS}
        self.household_peak_kw = np.zeros(n_households)

    def district_frame(self, times: pd.DatetimeIndex) -> pd.DataFrame:
        """One row per step."""
        frame = pd.DataFrame({"step": np.arange(len(times)), "time": times, **self.district})
        frame["converged"] = self.converged
        return frame

    def substation_frame(self, times: pd.DatetimeIndex, names: list[str]) -> pd.DataFrame:
        """One row per step and substation."""
        return substation_cases({"": self}, times, names).drop(columns="case")


def substation_cases(cases: dict[str, Recorder], times: pd.DatetimeIndex, names: list[str]) -> pd.DataFrame:
    """One row per case, step and substation, built once from the recorders' arrays.

    A year at 200 substations is 7 million rows a case, so names and cases are categorical and each
    series is one concatenation, not a frame per case joined afterwards.
    """
    first = next(iter(cases.values()))
    n_steps, n_sub = first.substation["p_kw"].shape
    k = len(cases)
    frame = pd.DataFrame(
        {
            "step": np.tile(np.repeat(np.arange(n_steps, dtype=np.int32), n_sub), k),
            "time": np.tile(np.repeat(np.asarray(times, dtype="datetime64[ns]"), n_sub), k),
            "substation": pd.Categorical.from_codes(
                np.tile(np.arange(n_sub, dtype=np.int32), n_steps * k), categories=list(names)
            ),
        }
    )
    for name in SUBSTATION_SERIES:
        frame[name] = np.concatenate([rec.substation[name].ravel() for rec in cases.values()])
    frame["case"] = pd.Categorical.from_codes(
        np.repeat(np.arange(k, dtype=np.int8), n_steps * n_sub), categories=list(cases)
    )
    return frame
