"""People's daily routines: which appliance cycles they start (their EV sessions: `agents.evs.sessions`).

Drawn once a day for all households at once, from the model's `routines` stream, so the run and
its baseline see the same day of the same people; only where and when the load lands differs.
Times are in steps from the start of the day; a day's events may reach into the next day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from agents.households.spec import APPLIANCES, HouseholdsSpec


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
