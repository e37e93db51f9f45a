"""People's daily routines: which appliance cycles they start and when their EV plugs in.

Drawn once a day for all households at once, from the model's `routines` stream, so the run and
its baseline see the same day of the same people; only where and when the load lands differs.
Times are in steps from the start of the day; a day's events may reach into the next day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.household_spec import APPLIANCES, EvSpec, HouseholdsSpec


@dataclass(frozen=True)
class Cycles:
    """Appliance cycles that users start on one day (one entry per cycle)."""

    household: np.ndarray  # int row
    appliance: np.ndarray  # int, index into APPLIANCES
    earliest: np.ndarray  # step the user loads it (its start without a HEMS)
    latest_start: np.ndarray  # last start that still finishes within the user's window
    duration: np.ndarray  # steps
    power_kw: np.ndarray  # so that power_kw × duration × step_h is the cycle's energy

    def energy_kwh(self, step_h: float) -> np.ndarray:
        """Energy of each cycle."""
        return self.power_kw * self.duration * step_h


@dataclass(frozen=True)
class Sessions:
    """EV charging sessions that begin on one day (one entry per session)."""

    household: np.ndarray  # int row
    arrival: np.ndarray  # first step plugged in
    departure: np.ndarray  # first step unplugged (exclusive)
    energy_kwh: np.ndarray  # energy the driver needs, deliverable within the stay
    power_kw: np.ndarray  # charger power


def draw_cycles(spec: HouseholdsSpec, owns: np.ndarray, rng: np.random.Generator, steps_per_day: int) -> Cycles:
    """Draw today's appliance cycles: each owned appliance runs with probability cycles_per_week / 7."""
    step_h = 24 / steps_per_day
    parts = []
    for a, name in enumerate(APPLIANCES):
        app = spec.appliances.get(name)
        if app is None:
            continue
        draws = rng.random(owns.shape[0])
        hours = rng.normal(app.preferred_start_h, app.preferred_start_sd_h, owns.shape[0])
        rows = np.flatnonzero(owns[:, a] & (draws < min(app.cycles_per_week / 7, 1.0)))
        duration = max(1, round(app.duration_min / 60 / step_h))
        earliest = np.floor((hours[rows] % 24) / step_h).astype(np.int64)
        finish = earliest + round(app.flexibility_h / step_h)
        latest = np.clip(finish - duration, earliest, 2 * steps_per_day - duration)
        power = app.energy_kwh / (duration * step_h)
        parts.append((rows, np.full(len(rows), a), earliest, latest, np.full(len(rows), duration), power))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Cycles(empty, empty, empty, empty, empty, np.zeros(0))
    cols = list(zip(*parts, strict=True))
    return Cycles(
        household=np.concatenate(cols[0]),
        appliance=np.concatenate(cols[1]),
        earliest=np.concatenate(cols[2]),
        latest_start=np.concatenate(cols[3]),
        duration=np.concatenate(cols[4]),
        power_kw=np.concatenate([np.full(len(r), p) for r, p in zip(cols[0], cols[5], strict=True)]),
    )


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
