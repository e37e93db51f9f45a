"""Vectorised planning: when each appliance cycle starts and when each EV charges, for all at once.

One call plans every cycle or session of a day; nothing loops over households. Prices are given
per tariff over the planning window (steps from the start of the day), and each cycle or
session names its household's tariff row. Ties go to the earliest time, so a tariff with no
price difference moves nothing.
"""

from __future__ import annotations

import numpy as np

_TIE_EUR = 1e-9  # costs closer than this are equal: float sums must not invent a cheaper slot


def cheapest_starts(
    prices: np.ndarray,
    tariff: np.ndarray,
    earliest: np.ndarray,
    latest_start: np.ndarray,
    duration: np.ndarray,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Start step of each cycle that minimises its energy cost between `earliest` and `latest_start`.

    A cycle whose user start is already among the cheapest stays there. Otherwise the first of
    the cheapest starts is taken, or with `rng` one of them at random, as HEMS randomise their
    starts so that a whole district does not switch on when the cheap period begins.
    """
    if len(earliest) == 0:
        return earliest.copy()
    cum = np.concatenate([np.zeros((prices.shape[0], 1)), np.cumsum(prices, axis=1)], axis=1)
    offsets = np.arange(int((latest_start - earliest).max()) + 1)
    starts = earliest[:, None] + offsets[None, :]
    valid = starts <= latest_start[:, None]
    starts = np.where(valid, starts, earliest[:, None])
    t = tariff[:, None]
    cost = cum[t, starts + duration[:, None]] - cum[t, starts]
    cost = np.where(valid, cost, np.inf)
    cheapest = cost <= cost.min(axis=1, keepdims=True) + _TIE_EUR
    if rng is None:
        pick = np.argmax(cheapest, axis=1)
    else:
        pick = np.argmax(np.where(cheapest, rng.random(cost.shape), -1.0), axis=1)
    return earliest + np.where(cheapest[:, 0], 0, pick)


def add_cycle_power(
    out: np.ndarray, household: np.ndarray, start: np.ndarray, duration: np.ndarray, power_kw: np.ndarray
) -> None:
    """Add to `out` (steps × households) the power of cycles running from `start` for `duration` steps."""
    if len(start) == 0:
        return
    span = np.arange(int(duration.max()))
    steps = start[:, None] + span[None, :]
    mask = span[None, :] < duration[:, None]
    rows = np.broadcast_to(household[:, None], steps.shape)
    _scatter_add(out, steps[mask], rows[mask], np.broadcast_to(power_kw[:, None], steps.shape)[mask])


def charging_schedule(
    prices: np.ndarray | None,
    tariff: np.ndarray,
    arrival: np.ndarray,
    departure: np.ndarray,
    energy_kwh: np.ndarray,
    power_kw: np.ndarray,
    step_h: float,
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Energy each session charges in each step of its stay: (steps, kwh), both sessions × longest stay.

    With `prices` None the car charges as soon as it is plugged in (uncontrolled); otherwise the
    stay's steps are filled in order of price (then time) at the charger's power until the energy
    is met, the last step part-filled; `rng` breaks ties between equal prices at random, so that
    cars do not all start when the cheap period begins. Entries past departure are 0 kWh.
    """
    if len(arrival) == 0:
        empty = np.zeros((0, 1))
        return empty.astype(np.int64), empty
    span = np.arange(int((departure - arrival).max()))
    steps = arrival[:, None] + span[None, :]
    valid = steps < departure[:, None]
    steps = np.where(valid, steps, arrival[:, None])
    if prices is None:
        key = np.where(valid, span[None, :], np.inf)
    else:
        price = prices[tariff[:, None], steps]
        if rng is not None:
            price = price + _TIE_EUR * rng.random(price.shape)
        key = np.where(valid, price, np.inf)
    order = np.argsort(key, axis=1, kind="stable")
    slot_kwh = (power_kw * step_h)[:, None]
    before = np.arange(len(span))[None, :] * slot_kwh
    take_sorted = np.clip(energy_kwh[:, None] - before, 0, slot_kwh)
    take = np.empty_like(take_sorted)
    np.put_along_axis(take, order, take_sorted, axis=1)
    return steps, np.where(valid, take, 0.0)


def add_energy(out: np.ndarray, household: np.ndarray, steps: np.ndarray, kwh: np.ndarray, step_h: float) -> None:
    """Add to `out` (steps × households) the power that delivers `kwh` (per entry × steps) in each step."""
    rows = np.broadcast_to(household[:, None], steps.shape)
    hit = kwh > 0
    _scatter_add(out, steps[hit], rows[hit], kwh[hit] / step_h)


def _scatter_add(out: np.ndarray, steps: np.ndarray, rows: np.ndarray, values: np.ndarray) -> None:
    """out[steps, rows] += values, repeats summed (1-D `add.at` on the flat view: ~6× faster than 2-D)."""
    np.add.at(out.reshape(-1), steps * out.shape[1] + rows, values)
