"""Replay a study's design as a small randomised trial on the behaviour model, and measure what the study measured.

A few hundred households with spread in their daily use and in their responsiveness are treated
as the design says (tariff and ratio on its priced days, display, statements, peer reports with a
comparison group and the household's own recent use, a target, a HEMS) for the study's duration and
follow-up, one day at a time over arrays. Each is compared with its own untreated counterfactual
(the same household and days without treatment: a control group without sampling noise). The metric
is the study's: the drop of total consumption, of peak-window load on priced days, or the share of
the effect lost a year after the treatment stopped. Daily resolution: what the studies report.

Total consumption falls by the information levers' saving and, on priced days, by the conserved share
of the peak cut over the peak window (the rest of the cut is moved, and consumed, at other hours). The
peak window holds `peak_hours` / 24 of a day's use: an assumption of even use over the day, which
understates an evening peak window's share and so overstates the conserved share a fit needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.response.information import combined, feedback_saving, peer_saving, relative_use, target_saving
from agents.response.parameters import BehaviourParameters
from agents.response.persistence import Persistence
from agents.response.price import conserved_peak_cut, peak_cut
from simulator.evidence.register import Design

HOUSEHOLDS = 400
DECAY_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Homes:
    """The trial's households: mean daily use, day-to-day factors, responsiveness, comparison group."""

    daily_kwh: np.ndarray  # households
    noise: np.ndarray  # days × households, mean 1
    responsiveness: np.ndarray  # households, mean 1
    group: np.ndarray  # households


def draw_homes(p: BehaviourParameters, days: int, n: int = HOUSEHOLDS, seed: int = 11) -> Homes:
    """Households drawn from the parameters' spreads (the same seed gives the same homes)."""
    rng = np.random.default_rng(seed)
    daily = 10.0 * rng.lognormal(-0.5 * p.usage_spread**2, p.usage_spread, n)
    noise = rng.lognormal(-0.5 * p.daily_noise**2, p.daily_noise, (days, n))
    resp = rng.gamma(p.responsiveness_shape, 1.0 / p.responsiveness_shape, n)
    group = rng.permutation(n) // max(1, min(p.peer_group_size, n))
    return Homes(daily, noise, resp, group)


def priced_days(design: Design, days: int) -> np.ndarray:
    """Days on which the tariff's peak price applies: weekdays (ToU), or the season's events spread over weekdays."""
    weekday = (np.arange(days) % 7) < 5
    if design.tariff in ("tou", "vpp"):
        return weekday & (np.arange(days) < design.duration_days)
    out = np.zeros(days, dtype=bool)
    if design.tariff in ("cpp", "ptr") and design.events > 0:
        candidates = np.flatnonzero(weekday[: design.duration_days])
        out[candidates[np.linspace(0, len(candidates) - 1, design.events).round().astype(int)]] = True
    return out


def simulate(p: BehaviourParameters, design: Design, metric: str, subgroup: str = "all", seed: int = 11) -> float:
    """The effect the study measured, in percent (or percent a year for the decay), on the model."""
    days = design.duration_days + design.followup_days
    homes = draw_homes(p, days, seed=seed)
    base = homes.noise * homes.daily_kwh[None, :]
    keep_total = _conservation(p, design, homes, base)
    factor = 1.0 if design.enrolment == "opt_in" else p.default_enrolment_factor
    rho = homes.responsiveness * factor
    cut = peak_cut(p, design.tariff, design.peak_offpeak_ratio, design.enabling_technology, rho)
    conserved = conserved_peak_cut(p, design.tariff, design.peak_offpeak_ratio, design.enabling_technology, rho)
    priced = priced_days(design, days)
    peak_treated = np.where(priced[:, None], base * keep_total * (1.0 - cut)[None, :], base * keep_total)
    share = design.peak_hours / 24.0
    treated = base * keep_total * np.where(priced[:, None], 1.0 - share * conserved[None, :], 1.0)
    members = _subgroup(homes.daily_kwh, subgroup)
    if metric == "annual_decay_pct":
        return _decay(base, treated, design, members)
    window = np.arange(days) >= design.measure_from_day
    window &= np.arange(days) < design.duration_days
    if metric == "peak_reduction_pct":
        window &= priced
        return _drop(base[window][:, members], peak_treated[window][:, members])
    return _drop(base[window][:, members], treated[window][:, members])


def _conservation(p: BehaviourParameters, d: Design, homes: Homes, base: np.ndarray) -> np.ndarray:
    """Days × households: share of use kept after the information levers (1 = no saving)."""
    days, n = base.shape
    fixed = combined([feedback_saving(p, d.feedback_period_days, d.in_home_display),
                      target_saving(p, d.target_pct, d.feedback_period_days, d.in_home_display)])  # fmt: skip
    peer = d.peer_report_period_days > 0
    if fixed == 0 and not peer:
        return np.ones_like(base)
    keep = np.ones_like(base)
    state = Persistence(p, n)
    recent = np.repeat(homes.daily_kwh[None, :], p.peer_window_days, axis=0)  # pre-treatment use
    peer_s = np.zeros(n)
    for day in range(days):
        active = day < d.duration_days
        contact = active and _contact_today(d, day)
        if peer and active and day % int(d.peer_report_period_days) == 0:
            rel = relative_use(recent.mean(axis=0), homes.group)
            peer_s = peer_saving(p, rel, d.peer_injunctive)
        mult = state.day(np.full(n, active), np.full(n, contact))
        saving = combined([fixed, peer_s]) * homes.responsiveness * mult
        keep[day] = 1.0 - np.clip(saving, -0.5, 0.9)
        recent[day % p.peer_window_days] = base[day] * keep[day]
    return keep


def _contact_today(d: Design, day: int) -> bool:
    if d.in_home_display:
        return True
    periods = [x for x in (d.feedback_period_days, d.peer_report_period_days) if x > 0]
    return any(day % max(1, round(x)) == 0 for x in periods)


def _subgroup(daily_kwh: np.ndarray, subgroup: str) -> np.ndarray:
    if subgroup == "top_decile_usage":
        return daily_kwh >= np.quantile(daily_kwh, 0.9)
    if subgroup == "bottom_decile_usage":
        return daily_kwh <= np.quantile(daily_kwh, 0.1)
    return np.ones(len(daily_kwh), dtype=bool)


def _drop(control: np.ndarray, treated: np.ndarray) -> float:
    total = control.sum()
    return float("nan") if total <= 0 else float(100.0 * (1.0 - treated.sum() / total))


def _decay(base: np.ndarray, treated: np.ndarray, d: Design, members: np.ndarray) -> float:
    """Share of the effect lost between the last month of treatment and the same month a year later [%]."""
    stop, w = d.duration_days, DECAY_WINDOW_DAYS
    if d.followup_days < 365:
        return float("nan")
    before = _drop(base[stop - w : stop][:, members], treated[stop - w : stop][:, members])
    after = _drop(base[stop + 365 - w : stop + 365][:, members], treated[stop + 365 - w : stop + 365][:, members])
    return float("nan") if before <= 0 else 100.0 * (1.0 - after / before)
