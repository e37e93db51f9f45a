"""Measured households in a run: import the scenario's meter data for the household fleet, report it per home."""

from __future__ import annotations

import numpy as np

from agents.households.measured import MeasuredHouseholds
from simulator.meter_data.meter_import import import_meter_data
from simulator.scenario import Scenario


def load_measured(scenario: Scenario, meter_ids: list[str], profile_kw) -> MeasuredHouseholds | None:
    """Import the scenario's meter data, if it names any."""
    spec = scenario.households.meter_data
    if spec is None:
        return None
    imported = import_meter_data(spec, scenario, meter_ids, profile_kw)
    return MeasuredHouseholds(imported, len(meter_ids), scenario)


def household_columns(measured: MeasuredHouseholds | None, n_households: int) -> dict[str, np.ndarray]:
    """Per-household columns for the agents table: metered, dropped, gap steps, filled energy."""
    metered = np.zeros(n_households, dtype=bool)
    dropped = np.zeros(n_households, dtype=bool)
    gaps = np.zeros(n_households, dtype=np.int64)
    filled = np.zeros(n_households)
    if measured is not None:
        imp = measured.imported
        metered[imp.rows] = True
        dropped[list(imp.dropped)] = True
        gaps[: len(imp.gap_steps)] = imp.gap_steps
        filled[imp.rows] = imp.filled_kwh
    return {"metered": metered, "meter_dropped": dropped, "meter_gap_steps": gaps, "meter_filled_kwh": filled}
