"""KPIs of tariffs and people: who earns what (DSO vs retailers), engagement, tokens, opt-outs, savings.

Registered into `simulator.kpi.registry.KPIS` on import (kpi.py imports this module at its end).
"""

from __future__ import annotations

import numpy as np

from simulator.kpi.registry import KpiInputs, kpi


def _col(x: KpiInputs, name: str) -> np.ndarray:
    frame = x.households
    return frame[name].to_numpy(dtype=float) if name in frame else np.zeros(len(frame))


@kpi("€", "the tariffs do not split a network component from the energy one")
def dso_revenue_eur(x: KpiInputs) -> float:
    """What the DSO earns over the run: the network component of every bill (and contracted-power charges)."""
    return _network(x, "bill_network_eur")


@kpi("€", "the tariffs do not split a network component from the energy one")
def baseline_dso_revenue_eur(x: KpiInputs) -> float:
    """The DSO's network revenue in the baseline (same households on the flat tariff, no demand response)."""
    return _network(x, "baseline_bill_network_eur")


def _network(x: KpiInputs, column: str) -> float:
    split = (_col(x, "bill_network_eur") > 0).any() or (_col(x, "baseline_bill_network_eur") > 0).any()
    return float(_col(x, column).sum()) if split else float("nan")


@kpi("€")
def bills_total_eur(x: KpiInputs) -> float:
    """What all households paid over the run (energy + network + standing charges)."""
    return float(_col(x, "bill_eur").sum())


@kpi("€")
def baseline_bills_total_eur(x: KpiInputs) -> float:
    """What all households paid in the baseline."""
    return float(x.baseline_households["bill_eur"].sum())


@kpi("kWh")
def household_energy_saved_kwh(x: KpiInputs) -> float:
    """Household consumption avoided against the baseline: the price response's conserved part, the levers' savings.

    Moved load (household_base_moved_kwh, energy_shifted_kwh) is consumed at other hours and saves nothing.

    Energy planned past the run's end counts as consumed, in the run and in the baseline (energy_deferred_kwh).
    """
    base = _col(x, "baseline_energy_kwh").sum() + _col(x, "baseline_deferred_kwh").sum()
    return float(base - _col(x, "energy_kwh").sum() - _col(x, "deferred_kwh").sum())


@kpi("kWh")
def energy_deferred_kwh(x: KpiInputs) -> float:
    """Flexible energy (appliances, EVs) planned after the run's last step, more than in the baseline.

    It is consumed after the run, billed at the prices of the slots it was planned into, and not saved.
    """
    return float(_col(x, "deferred_kwh").sum() - _col(x, "baseline_deferred_kwh").sum())


@kpi("%", "every household stays on the baseline tariff")
def tariff_revenue_gap_pct(x: KpiInputs) -> float:
    """How far the offered tariffs are from revenue-neutral on this run (0 = neutral).

    What the baseline's consumption pays under the retailers' tariffs against under the baseline tariff, in %.
    A CPP priced neutral over its season shows here how many of the season's events fall in the run.
    """
    offered, base = _col(x, "baseline_offered_bill_eur").sum(), x.baseline_households["bill_eur"].sum()
    if "baseline_offered_bill_eur" not in x.households or base <= 0:
        return float("nan")
    return float(100.0 * (offered - base) / base)


@kpi("kWh")
def energy_curtailed_kwh(x: KpiInputs) -> float:
    """Base load people and HEMS cut in dear hours (by hand or automatically): moved plus not consumed.

    household_base_moved_kwh of it is drawn again in the same day's cheapest hours; the rest is saved.
    """
    return float(_col(x, "curtailed_kwh").sum())


@kpi("kWh")
def household_base_moved_kwh(x: KpiInputs) -> float:
    """Base load people and HEMS cut in dear hours and drew instead in the same day's cheapest hours.

    Consumed and billed at the price of the hours it lands in, so not saved; appliance and EV moves are
    in energy_shifted_kwh.
    """
    return float(_col(x, "moved_kwh").sum())


@kpi("%")
def participation_rate_pct(x: KpiInputs) -> float:
    """Share of households that acted on prices at least once (by hand, or through a HEMS that moved load)."""
    acted = (_col(x, "days_responded") > 0) | (_col(x, "shifted_kwh") > 0)
    return float(100.0 * acted.mean()) if len(acted) else float("nan")


@kpi("%", "no CPP event day in the run")
def active_response_rate_pct(x: KpiInputs) -> float:
    """Requests (CPP event days) households acted on by hand, over all requests they received."""
    requests = _col(x, "requests").sum()
    return float(100.0 * _col(x, "request_responses").sum() / requests) if requests else float("nan")


@kpi("-")
def requests_sent(x: KpiInputs) -> float:
    """Household-days with a request (a CPP event announced the day before)."""
    return float(_col(x, "requests").sum())


@kpi("households")
def opt_outs(x: KpiInputs) -> float:
    """Households that left the programme during the run (they return to the baseline tariff)."""
    return float(_col(x, "opted_out").sum())


@kpi("-")
def hems_overrides(x: KpiInputs) -> float:
    """Cycles and charges whose user overrode the HEMS plan."""
    return float(_col(x, "hems_overrides").sum())


@kpi("tokens")
def tokens_issued(x: KpiInputs) -> float:
    """Tokens issued for measured savings and responses (Digital Social Market lever)."""
    return float(_col(x, "tokens_issued").sum())


@kpi("tokens")
def tokens_redeemed(x: KpiInputs) -> float:
    """Tokens households exchanged for rewards."""
    return float(_col(x, "tokens_redeemed").sum())


@kpi("-")
def engagement_mean_end(x: KpiInputs) -> float:
    """Mean engagement (0–1) of all households at the end of the run."""
    return float(_col(x, "engagement").mean())


@kpi("%")
def engaged_share_mean_pct(x: KpiInputs) -> float:
    """Mean over the run of the daily share of households acting on prices (by hand or through a HEMS)."""
    series = x.district.get("engaged_share")
    return float(100.0 * np.nanmean(series)) if series is not None and series.notna().any() else float("nan")


@kpi("trips")
def contracted_power_trips(x: KpiInputs) -> float:
    """Steps in which a home's meter tripped for drawing more than its contracted power (when enforced)."""
    return float(_col(x, "power_trips").sum())


@kpi("€", "no tariff pays for exported energy")
def pv_export_paid_eur(x: KpiInputs) -> float:
    """What households were paid for the PV energy they exported (feed-in price or net metering), over the run."""
    paid = _col(x, "export_credit_eur").sum()
    return float(paid) if paid > 0 else float("nan")
