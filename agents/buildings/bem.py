"""Building energy management (the City Hall SEMS of Sharing Cities Lisbon, seed 000), for all buildings at once.

Each day the BEM of every managed building (1) sheds part of its HVAC power in the day's dearest
price period by a set-point shift inside the comfort band, and pre-heats or pre-cools beforehand to
make up for it (with a loss), and (2) charges the cars at its chargers in the steps its own PV
covers first, then in the cheapest ones: self-consumption first, then minimum cost. It answers a
flexibility request like a HEMS: it commits what its HVAC can still shed and moves the energy after
the request. Arrays are steps × buildings; nothing loops over buildings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.planning import add_energy, charging_schedule

_TIE_EUR = 1e-9


@dataclass(frozen=True)
class BuildingParams:
    """Per-building parameters as arrays (one entry per building)."""

    hvac_share: np.ndarray
    setback_share: np.ndarray
    preheat_steps: np.ndarray  # int
    preheat_loss: np.ndarray
    feed_in_eur_per_kwh: np.ndarray
    managed: np.ndarray  # bool: a BEM with demand response on


@dataclass(frozen=True)
class ChargingSessions:
    """Today's sessions at building chargers (one entry per session)."""

    building: np.ndarray
    arrival: np.ndarray
    departure: np.ndarray
    energy_kwh: np.ndarray
    power_kw: np.ndarray


def hvac_shift_kw(base_kw: np.ndarray, price: np.ndarray, p: BuildingParams) -> np.ndarray:
    """Change of HVAC power (steps × buildings): − shed in the dearest period, + pre-conditioning before it."""
    steps = base_kw.shape[0]
    dear = (price >= price.max(axis=0) - _TIE_EUR) & (np.ptp(price, axis=0) > _TIE_EUR)
    dear &= p.managed[None, :]
    shed = base_kw * (p.hvac_share * p.setback_share)[None, :] * dear
    # each run of dear steps is made up for in the preheat_steps before the run starts
    starts = dear & ~np.vstack([np.zeros((1, dear.shape[1]), bool), dear[:-1]])
    run_id = np.cumsum(starts, axis=0)
    start_step = np.zeros((steps + 1, dear.shape[1]), dtype=np.int64)
    rows, cols = np.nonzero(starts)
    start_step[run_id[rows, cols], cols] = rows
    owner = start_step[run_id, np.arange(dear.shape[1])[None, :]]  # start step of each dear step's run
    run_kwh = np.zeros(base_kw.shape)
    np.add.at(run_kwh, (owner[dear], np.nonzero(dear)[1]), shed[dear] * (1 + p.preheat_loss[np.nonzero(dear)[1]]))
    pre = np.zeros(base_kw.shape)
    span = np.maximum(p.preheat_steps, 1)
    for lag in range(1, int(p.preheat_steps.max(initial=0)) + 1):
        share = np.where(lag <= p.preheat_steps, run_kwh / span[None, :], 0.0)
        pre[: steps - lag] += share[lag:]
        pre[0] += share[:lag].sum(axis=0)  # a run starting at the day's beginning is made up at its first step
    return pre - shed


def charge_cars(
    out_kw: np.ndarray, sessions: ChargingSessions, price: np.ndarray, surplus_kw: np.ndarray, p: BuildingParams,
    step_h: float,
) -> None:  # fmt: skip
    """Add the chargers' power to `out_kw`: managed buildings fill PV-surplus steps first, then the cheapest."""
    if len(sessions.building) == 0:
        return
    args = (sessions.arrival, sessions.departure, sessions.energy_kwh, sessions.power_kw, step_h)
    steps, kwh = charging_schedule(None, sessions.building, *args)
    smart = p.managed[sessions.building]
    if smart.any():
        own = np.where(surplus_kw > 0, p.feed_in_eur_per_kwh[None, :] - 1.0, price)  # PV first, then price
        _, planned = charging_schedule(own.T, sessions.building, *args)
        kwh = np.where(smart[:, None], planned, kwh)
    add_energy(out_kw, sessions.building, steps, kwh, step_h)


def flexibility_offer_kw(base_kw: np.ndarray, shift_kw: np.ndarray, p: BuildingParams) -> np.ndarray:
    """HVAC power each managed building can still shed at each step (steps × buildings) [kW]."""
    room = base_kw * (p.hvac_share * p.setback_share)[None, :] + np.minimum(shift_kw, 0.0)
    return np.where(p.managed[None, :], np.clip(room, 0.0, None), 0.0)


def answer_request(
    base_kw: np.ndarray, shift_kw: np.ndarray, p: BuildingParams, start: int, stop: int, requested_kw: float
) -> np.ndarray:
    """Commit to a district flexibility request over steps [start, stop): returns kW committed per building.

    The request is shared pro rata to what each building can shed over the window; the shed energy
    comes back, with the pre-conditioning loss, spread over the same number of steps after the window.
    `shift_kw` is changed in place.
    """
    offer = flexibility_offer_kw(base_kw, shift_kw, p)[start:stop].min(axis=0)
    total = offer.sum()
    committed = offer * min(1.0, requested_kw / total) if total > 0 else np.zeros_like(offer)
    shift_kw[start:stop] -= committed[None, :]
    after = slice(stop, min(stop + (stop - start), shift_kw.shape[0]))
    n_after = after.stop - after.start
    if n_after > 0:
        shift_kw[after] += (committed * (stop - start) * (1 + p.preheat_loss) / n_after)[None, :]
    return committed
