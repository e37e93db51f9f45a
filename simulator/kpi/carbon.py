"""CO₂ KPIs: the district's import at the primary substation × the grid's carbon intensity in each step."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.kpi.registry import KpiInputs, kpi

NO_INTENSITY = "no carbon intensity for this place ([carbon] g_per_kwh or file)"


def _co2_kg(x: KpiInputs, district: pd.DataFrame) -> float:
    if x.carbon_g_per_kwh is None or not district["converged"].any():
        return float("nan")
    return float(np.nansum(district["import_kw"].to_numpy() * x.carbon_g_per_kwh) * x.step_h / 1000.0)


@kpi("kg", NO_INTENSITY)
def co2_kg(x: KpiInputs) -> float:
    """CO₂ of the energy the district imported over the run: Σ import × the step's carbon intensity."""
    return _co2_kg(x, x.district)


@kpi("%", NO_INTENSITY)
def co2_change_pct(x: KpiInputs) -> float:
    """Change of the district's CO₂ against the baseline [%] (with a yearly mean intensity: the energy change)."""
    run, base = _co2_kg(x, x.district), _co2_kg(x, x.baseline_district)
    return 100.0 * (run - base) / base if base > 0 else float("nan")
