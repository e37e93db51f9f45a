"""KPIs of the tertiary buildings and their building energy managers (SEMS, seed 000)."""

from __future__ import annotations

import numpy as np

from simulator.kpi.registry import KpiInputs, kpi


def _col(frame, name: str) -> np.ndarray:
    return frame[name].to_numpy() if name in frame else np.zeros(len(frame))


NO_BUILDINGS = "no tertiary buildings in the scenario"


@kpi("kWh", NO_BUILDINGS)
def buildings_energy_kwh(x: KpiInputs) -> float:
    """Energy the tertiary buildings consumed over the run (before their own PV)."""
    energy = _col(x.district, "buildings_kw").sum() * x.step_h
    return float(energy) if energy > 0 else float("nan")


@kpi("%", "no PV on the tertiary buildings")
def buildings_pv_self_consumption_pct(x: KpiInputs) -> float:
    """Share of the buildings' PV output used on site (each building's own load in the same step)."""
    pv = _col(x.district, "buildings_pv_kw").sum()
    if pv <= 0:
        return float("nan")
    return float(min(100.0, 100.0 * _col(x.district, "buildings_pv_self_kw").sum() / pv))  # ≤ 1 but for rounding


@kpi("%", NO_BUILDINGS)
def buildings_peak_reduction_pct(x: KpiInputs) -> float:
    """How much lower the buildings' combined peak load is than in the baseline (no BEM action)."""
    base = _col(x.baseline_district, "buildings_kw").max(initial=0.0)
    return float(100.0 * (base - _col(x.district, "buildings_kw").max(initial=0.0)) / base) if base > 0 else np.nan
