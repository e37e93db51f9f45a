"""KPIs of the heat pumps and their houses (agents/heat_pumps)."""

from __future__ import annotations

from simulator.kpi.registry import KpiInputs, kpi


@kpi("h", "no heat pumps in the scenario")
def heat_pump_comfort_violation_h(x: KpiInputs) -> float:
    """Home-hours a heat-pump home spent outside its comfort band (summed over the heated homes)."""
    if "homes_outside_comfort" not in x.district:
        return float("nan")
    return float(x.district["homes_outside_comfort"].sum() * x.step_h)
