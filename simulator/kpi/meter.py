"""KPIs of smart-meter data import: how complete the measured data were and what the policy did about it."""

from __future__ import annotations

from simulator.kpi.registry import KpiInputs, kpi

NO_METER_DATA = "no [households.meter_data] in the scenario"


def _sum(x: KpiInputs, column: str) -> float:
    h = x.households
    if column not in h or not (_any(h, "metered") or _any(h, "meter_dropped")):
        return float("nan")  # no household was named in a meter file
    return float(h[column].sum())


def _any(h, column: str) -> bool:
    return column in h and bool(h[column].any())


@kpi("steps", NO_METER_DATA)
def meter_gap_steps(x: KpiInputs) -> float:
    """Household-steps the meter file left incomplete (a gap or a partly covered step), over every meter it names."""
    return _sum(x, "meter_gap_steps")


@kpi("kWh", NO_METER_DATA)
def meter_filled_kwh(x: KpiInputs) -> float:
    """Energy the missing-data policy added to measured households ('profile' or 'interpolate'; 0 for 'drop')."""
    return _sum(x, "meter_filled_kwh")


@kpi("households", NO_METER_DATA)
def meter_households(x: KpiInputs) -> float:
    """Households driven by measured smart-meter data (after the missing-data policy)."""
    return _sum(x, "metered")


@kpi("households", NO_METER_DATA)
def meter_households_dropped(x: KpiInputs) -> float:
    """Households named in the meter file that the missing-data policy dropped back to the standard profile."""
    return _sum(x, "meter_dropped")
