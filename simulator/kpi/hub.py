"""KPIs of the market hub in a city run: latencies, request outcomes, time to relief, emergencies, relief.

Latencies per request type, request outcomes, how fast the DSO's actions took effect, emergencies and
disconnections, and the overload hours the hub relieved.

Every hub KPI is NaN in a run without a hub. Definitions are the docstrings (KPI registry in `simulator.kpi.registry`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.kpi.registry import KpiInputs, kpi, transformer_overload_hours

NAN = float("nan")
LATENCY_KINDS = ("flexibility", "emergency_notice", "contracted_power_reduction", "restore_order", "tariff_calendar")
QUANTILES = (50, 95, 99)


NO_HUB = "no [hub] in the scenario, or no request of that kind"


def _requests(x: KpiInputs, kind: str | None = None) -> pd.DataFrame | None:
    if x.hub is None:
        return None
    r = x.hub.requests
    return r if kind is None else r[r["kind"] == kind]


def _latency_kpi(kind: str, q: int) -> None:
    def compute(x: KpiInputs) -> float:
        r = _requests(x, kind)
        lat = r["latency_s"].dropna() if r is not None else pd.Series(dtype=float)
        return float(np.percentile(lat, q) * 1000.0) if len(lat) else NAN

    compute.__name__ = f"hub_{kind}_latency_p{q}_ms"
    compute.__doc__ = (
        f"{q}th percentile of the time from the DSO sending a {kind.replace('_', ' ')} request to its completion "
        "through the market hub (completed requests only)."
    )
    kpi("ms", NO_HUB)(compute)


for _kind in LATENCY_KINDS:
    for _q in QUANTILES:
        _latency_kpi(_kind, _q)


def _state_count(x: KpiInputs, state: str) -> float:
    r = _requests(x)
    return NAN if r is None else float((r["state"] == state).sum())


@kpi("-", NO_HUB)
def hub_requests_completed(x: KpiInputs) -> float:
    """Requests through the market hub that completed (every request ends completed, failed, lost or open at end)."""
    return _state_count(x, "completed")


@kpi("-", NO_HUB)
def hub_requests_failed(x: KpiInputs) -> float:
    """Requests through the market hub that failed: refused by access control, a full queue, retries exhausted."""
    return _state_count(x, "failed")


@kpi("-", NO_HUB)
def hub_requests_lost(x: KpiInputs) -> float:
    """Requests through the market hub lost at a component that was down, with no retry left to the sender."""
    return _state_count(x, "lost")


@kpi("-", NO_HUB)
def hub_requests_open_at_end(x: KpiInputs) -> float:
    """Requests through the market hub still under way when the run ended (after an hour's drain): counted, not lost."""
    return _state_count(x, "open_at_end")


@kpi("-", NO_HUB)
def hub_denied_accesses(x: KpiInputs) -> float:
    """Operations the hub's access control denied (for some or all of the clients they named)."""
    return NAN if x.hub is None else float(x.hub.denied_accesses)


@kpi("-", NO_HUB)
def flexibility_requests(x: KpiInputs) -> float:
    """Flexibility requests the DSO sent for a forecast or measured transformer constraint."""
    r = _requests(x, "flexibility")
    return NAN if r is None else float(len(r))


@kpi("%", NO_HUB)
def flexibility_activated_pct(x: KpiInputs) -> float:
    """Share of flexibility requests whose declared flexibility covered the need and was activated at HEMS."""
    r = _requests(x, "flexibility")
    return NAN if r is None or not len(r) else float(100.0 * r["effective_s"].notna().mean())


def _to_effect_s(x: KpiInputs, kind: str) -> pd.Series:
    r = _requests(x, kind)
    return pd.Series(dtype=float) if r is None else (r["effective_s"] - r["detected_s"]).dropna()


@kpi("s", NO_HUB)
def flexibility_detection_to_relief_s(x: KpiInputs) -> float:
    """Mean time from the DSO detecting a constraint to the last activated HEMS pausing its load."""
    t = _to_effect_s(x, "flexibility")
    return float(t.mean()) if len(t) else NAN


@kpi("s", NO_HUB)
def emergency_detection_to_limit_s(x: KpiInputs) -> float:
    """Mean time from the DSO declaring an emergency to the reduced limit applying at the last meter (incl. notice)."""
    t = _to_effect_s(x, "contracted_power_reduction")
    return float(t.mean()) if len(t) else NAN


@kpi("-", NO_HUB)
def emergencies(x: KpiInputs) -> float:
    """Emergency episodes: areas whose constraint persisted or was severe enough for a contracted-power cut."""
    r = _requests(x, "emergency_notice")
    return NAN if r is None else float(len(r))


@kpi("-", NO_HUB)
def emergency_customers_disconnected(x: KpiInputs) -> float:
    """Customers disconnected at least once because their load stayed above the reduced contracted power."""
    return NAN if x.hub is None else float(x.hub.customers_disconnected)


@kpi("h", NO_HUB)
def emergency_disconnected_household_hours(x: KpiInputs) -> float:
    """Household-hours off supply in emergencies (summed over households)."""
    return NAN if x.hub is None else x.hub.disconnected_household_h


@kpi("kWh", NO_HUB)
def emergency_energy_not_served_kwh(x: KpiInputs) -> float:
    """Load lost by households while disconnected in emergencies."""
    return NAN if x.hub is None else x.hub.not_served_kwh


@kpi("kWh", NO_HUB)
def hub_energy_shifted_kwh(x: KpiInputs) -> float:
    """Planned EV and appliance energy HEMS paused on activation or under an emergency limit and ran later."""
    return NAN if x.hub is None else x.hub.shifted_kwh + x.hub.deferred_kwh


@kpi("kWh", NO_HUB)
def hub_buildings_flexibility_kwh(x: KpiInputs) -> float:
    """HVAC energy building energy managers shed when a flexibility request activated them (paid back later)."""
    return NAN if x.hub is None else x.hub.buildings_shifted_kwh


@kpi("kWh", NO_HUB)
def hub_energy_curtailed_kwh(x: KpiInputs) -> float:
    """Planned energy HEMS paused on activation with no time left in their planning horizon to run it: lost."""
    return NAN if x.hub is None else x.hub.curtailed_kwh


@kpi("h", NO_HUB)
def transformer_overload_hours_without_hub(x: KpiInputs) -> float:
    """Substation-hours over 100 % loading in the same run without the market hub (demand response still on)."""
    s = x.without_hub_substations
    return NAN if s is None else float((s["loading_pct"] > x.overload_threshold_pct).sum() * x.step_h)


@kpi("h", NO_HUB)
def overload_hours_relieved_h(x: KpiInputs) -> float:
    """Overload hours without the hub minus with it: what the DSO's actions through the hub removed."""
    return transformer_overload_hours_without_hub(x) - transformer_overload_hours(x)
