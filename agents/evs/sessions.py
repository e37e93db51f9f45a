"""The day's EV charging sessions at home: when each car plugs in, leaves, and how much it needs.

Drawn once a day for all households at once from the model's `routines` stream (after the appliance
cycles), so the run and its baseline see the same drivers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.evs.spec import EvSpec


@dataclass(frozen=True)
class Sessions:
    """EV charging sessions that begin on one day (one entry per session)."""

    household: np.ndarray  # int row
    arrival: np.ndarray  # first step plugged in
    departure: np.ndarray  # first step unplugged (exclusive)
    energy_kwh: np.ndarray  # energy the driver needs, deliverable within the stay
    power_kw: np.ndarray  # charger power


def draw_sessions(spec: EvSpec, charger_kw: np.ndarray, rng: np.random.Generator, steps_per_day: int) -> Sessions:
    """Draw today's EV sessions: plug in this evening, leave tomorrow morning, need some energy."""
    n = len(charger_kw)
    step_h = 24 / steps_per_day
    plugs = rng.random(n) < spec.sessions_per_week / 7
    arrival_h = rng.normal(spec.arrival_h_mean, spec.arrival_h_sd, n) % 24
    departure_h = 24 + rng.normal(spec.departure_h_mean, spec.departure_h_sd, n).clip(0, 23.9)
    need_kwh = rng.normal(spec.session_kwh_mean, spec.session_kwh_sd, n)
    rows = np.flatnonzero(plugs & (charger_kw > 0))
    arrival = np.floor(arrival_h[rows] / step_h).astype(np.int64)
    departure = np.clip(np.floor(departure_h[rows] / step_h).astype(np.int64), arrival + 1, 2 * steps_per_day)
    power = charger_kw[rows]
    deliverable = power * (departure - arrival) * step_h
    return Sessions(
        household=rows,
        arrival=arrival,
        departure=departure,
        energy_kwh=np.clip(need_kwh[rows], 0.5, None).clip(None, deliverable),
        power_kw=power,
    )
