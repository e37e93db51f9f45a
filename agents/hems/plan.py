"""The day's batch planning of every household's flexible load (the HEMS's default decision, vectorised)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.evs.sessions import Sessions
from agents.hems.spec import LOADS, HemsControl
from agents.households.loads import LoadBook
from agents.households.routines import Cycles
from agents.planning import add_cycle_power, add_energy, charging_schedule, cheapest_starts

_SAVES_EUR = 1e-9  # a move must save more than this: float sums must not invent a saving


def plan_day(
    book: LoadBook,
    cycles: Cycles,
    sessions: Sessions,
    managed: np.ndarray,
    prices: np.ndarray,
    tariff: np.ndarray,
    step_h: float,
    rng: np.random.Generator | None = None,
    *,
    manual: np.ndarray | None = None,
    control: HemsControl | None = None,
    request: np.ndarray | None = None,
) -> DayPlan:
    """Place a day's cycles and charging sessions into `book`.

    Households where `managed` is true (a HEMS with demand response on) get the cheapest starts
    and charging steps under their tariff row of `prices` (tariffs × steps of the 2-day window) for
    the loads their customer declared in `control`, within each appliance's declared delay and only
    where the saving reaches the customer's minimum, except for cycles and charges the user
    overrides (more often where `request` marks a critical-peak event today). Households where
    `manual` is true move theirs by hand today (agents.households.behaviour) within the user's own window; the
    others run as the user starts them. `rng` spreads equally cheap choices (see `cheapest_starts`).
    Without `control`, a HEMS moves every load it can.
    """
    n = len(managed)
    ctl = HemsControl.everything(n) if control is None else control
    acting = np.zeros(n, dtype=bool) if manual is None else manual
    by_hand = _by_hand(ctl, acting[cycles.household], rng)
    asked = np.zeros(n, dtype=bool) if request is None else request
    h = cycles.household
    cycle_override = _overrides(ctl, asked[h], rng)
    hems = managed[h] & ctl.declared[h, cycles.appliance]
    auto = hems & ~cycle_override & ~acting[h]
    m = auto | by_hand
    latest = np.where(auto, np.minimum(cycles.latest_start, cycles.earliest + ctl.max_delay_steps[cycles.appliance]),
                      cycles.latest_start)  # fmt: skip
    starts = cycles.earliest.copy()
    starts[m] = cheapest_starts(prices, tariff[h[m]], cycles.earliest[m], latest[m], cycles.duration[m], rng)
    if ctl.min_saving_eur > 0 and auto.any():
        cost = [_cycle_cost(prices, tariff[h], cycles, at, step_h) for at in (cycles.earliest, starts)]
        saving = cost[0] - cost[1]
        starts = np.where(auto & (saving < ctl.min_saving_eur), cycles.earliest, starts)
    add_cycle_power(book.appliance_kw, h, starts, cycles.duration, cycles.power_kw)
    moved_steps = np.minimum(np.abs(starts - cycles.earliest), cycles.duration)
    shifted = np.bincount(h, moved_steps * cycles.power_kw * step_h, minlength=n)

    s = sessions.household
    args = (sessions.arrival, sessions.departure, sessions.energy_kwh, sessions.power_kw, step_h)
    steps, kwh = charging_schedule(None, tariff[s], *args)
    session_override = _overrides(ctl, asked[s], rng)
    ev_hems = managed[s] & ctl.declared[s, LOADS.index("ev")]
    ev_auto = ev_hems & ~session_override & ~acting[s]
    ev_by_hand = _by_hand(ctl, acting[s], rng)
    if (ev_auto | ev_by_hand).any():
        _, cheapest_kwh = charging_schedule(prices, tariff[s], *args, rng=rng)
        price = prices[tariff[s][:, None], steps]
        saving = (kwh * price).sum(axis=1) - (cheapest_kwh * price).sum(axis=1)
        need = np.where(ev_auto, max(ctl.min_saving_eur, _SAVES_EUR), _SAVES_EUR)
        moved = np.where(((ev_auto | ev_by_hand) & (saving > need))[:, None], cheapest_kwh, kwh)
        shifted += np.bincount(s, 0.5 * np.abs(moved - kwh).sum(axis=1), minlength=n)
        kwh = moved
    add_energy(book.ev_kw, s, steps, kwh, step_h)
    # counted, not weighted: with no appliances at all a weighted count came back as float and the sum failed
    overridden = np.bincount(np.asarray(h, dtype=np.int64)[cycle_override & hems], minlength=n)
    overridden += np.bincount(np.asarray(s, dtype=np.int64)[session_override & ev_hems], minlength=n)
    return DayPlan(cycle_start=starts, shifted_kwh=shifted, overrides=overridden)


def _by_hand(ctl: HemsControl, acting: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    """Which loads of households acting by hand they move: each with the control's manual chance."""
    if rng is None or ctl.manual_move_probability >= 1.0 or not acting.any():
        return acting.copy()
    return acting & (rng.random(len(acting)) < ctl.manual_move_probability)


def _overrides(ctl: HemsControl, asked: np.ndarray, rng: np.random.Generator | None) -> np.ndarray:
    """Which planned loads their users override: one draw each, at the event-day rate where asked."""
    p = np.where(asked, ctl.event_override_probability, ctl.override_probability)
    if rng is None or not (p > 0).any():
        return np.zeros(len(asked), dtype=bool)
    return rng.random(len(asked)) < p


def _cycle_cost(
    prices: np.ndarray, tariff: np.ndarray, cycles: Cycles, starts: np.ndarray, step_h: float
) -> np.ndarray:
    """Energy cost of each cycle run from `starts` [€]."""
    cum = np.concatenate([np.zeros((prices.shape[0], 1)), np.cumsum(prices, axis=1)], axis=1)
    return (cum[tariff, starts + cycles.duration] - cum[tariff, starts]) * cycles.power_kw * step_h


@dataclass(frozen=True)
class DayPlan:
    """What the day's planning decided: each cycle's start step, the energy moved and HEMS overrides per household."""

    cycle_start: np.ndarray
    shifted_kwh: np.ndarray
    overrides: np.ndarray
