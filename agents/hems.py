"""The home energy manager (HEMS) and the day's batch planning of every household's flexible load."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from agents.behaviour import overrides
from agents.loads import LoadBook
from agents.planning import add_cycle_power, add_energy, charging_schedule, cheapest_starts
from agents.routines import Cycles, Sessions


class Hems(mesa.Agent):
    """A HEMS in one home: it moves the home's flexible load to the cheapest times its customer allows.

    Its plans are made for all HEMS at once by `plan_day`.
    """

    def __init__(self, model: mesa.Model, household: mesa.Agent) -> None:
        super().__init__(model)
        self.household = household
        self.row = household.row


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
    override_probability: float = 0.0,
) -> DayPlan:
    """Place a day's cycles and charging sessions into `book`.

    Households where `managed` is true (a HEMS with demand response on) get the cheapest starts
    and charging steps under their tariff row of `prices` (tariffs × steps of the 2-day window),
    except for cycles and charges their user overrides (`override_probability` each); households
    where `manual` is true move theirs by hand today (agents.behaviour); the others run as the
    user starts them. Load moves only where that saves money; `rng` spreads equally cheap choices
    (see `cheapest_starts`).
    """
    n = len(managed)
    acting = np.zeros(n, dtype=bool) if manual is None else manual
    starts = cycles.earliest.copy()
    cycle_override = overrides(override_probability, len(starts), rng)
    m = (managed[cycles.household] & ~cycle_override) | acting[cycles.household]
    starts[m] = cheapest_starts(
        prices, tariff[cycles.household[m]], cycles.earliest[m], cycles.latest_start[m], cycles.duration[m], rng
    )
    add_cycle_power(book.appliance_kw, cycles.household, starts, cycles.duration, cycles.power_kw)
    moved_steps = np.minimum(np.abs(starts - cycles.earliest), cycles.duration)
    shifted = np.bincount(cycles.household, moved_steps * cycles.power_kw * step_h, minlength=n)

    args = (sessions.arrival, sessions.departure, sessions.energy_kwh, sessions.power_kw, step_h)
    steps, kwh = charging_schedule(None, tariff[sessions.household], *args)
    session_override = overrides(override_probability, len(sessions.household), rng)
    smart = (managed[sessions.household] & ~session_override) | acting[sessions.household]
    if smart.any():
        _, cheapest_kwh = charging_schedule(prices, tariff[sessions.household], *args, rng=rng)
        price = prices[tariff[sessions.household][:, None], steps]
        saves = (kwh * price).sum(axis=1) > (cheapest_kwh * price).sum(axis=1) + 1e-9
        moved = np.where((smart & saves)[:, None], cheapest_kwh, kwh)
        shifted += np.bincount(sessions.household, 0.5 * np.abs(moved - kwh).sum(axis=1), minlength=n)
        kwh = moved
    add_energy(book.ev_kw, sessions.household, steps, kwh, step_h)
    overridden = np.bincount(cycles.household, cycle_override & managed[cycles.household], minlength=n)
    overridden += np.bincount(sessions.household, session_override & managed[sessions.household], minlength=n)
    return DayPlan(cycle_start=starts, shifted_kwh=shifted, overrides=overridden)


@dataclass(frozen=True)
class DayPlan:
    """What the day's planning decided: each cycle's start step, the energy moved and HEMS overrides per household."""

    cycle_start: np.ndarray
    shifted_kwh: np.ndarray
    overrides: np.ndarray
