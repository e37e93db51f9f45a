"""Drive households from smart-meter data: resample a meter file onto the scenario's steps and fill its gaps.

Work is done in UTC, where every day has the same number of steps, and only then mapped to the
scenario's local wall clock: on the autumn DST day two UTC hours fold onto one wall hour (their
energy adds up), on the spring day the wall hour that does not exist shares the energy of the hour
after it. Each record's interval [timestamp, timestamp + interval) is spread over the steps it
overlaps, so energy is conserved for any interval from 1 to 60 minutes. Missing data follow the
scenario's policy (seed 003, "simulating missing data"): `profile`, `interpolate` or `drop`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from agents.households.spec import MeterDataSpec
from simulator.errors import DataError
from simulator.meter_data.meter_csv import MeterRecords, read_meter_csv
from simulator.scenario import Scenario

ProfileSource = Callable[[np.ndarray], np.ndarray]  # household rows -> standard profile (local steps × rows) [kW]
_FULL = 1 - 1e-9


@dataclass
class MeterImport:
    """Measured consumption of the households it keeps, on the scenario's local steps, and its report."""

    rows: np.ndarray  # household rows driven by measured data
    energy_kwh: np.ndarray  # local steps × rows, gaps filled by the policy
    filled_kwh: np.ndarray  # per kept row: energy the policy added
    gap_steps: np.ndarray  # per meter id (all households): UTC steps with incomplete data
    dropped: dict[int, str] = field(default_factory=dict)  # household row → why it is not driven by data
    report: dict[str, Any] = field(default_factory=dict)


def import_meter_data(
    spec: MeterDataSpec, scenario: Scenario, meter_ids: list[str], profile_kw: ProfileSource
) -> MeterImport:
    """Read `spec.file`, map meters to household rows by id (`meter_ids[row]`), resample and fill gaps."""
    records = read_meter_csv(spec.file, meter_ids, lenient=spec.lenient)
    clock = _Clock(scenario)
    interval_s = _intervals(records, spec, clock.step_s)
    energy, cover, outside = _on_utc_steps(records, interval_s, clock)
    in_file = np.unique(records.meter)
    energy, cover = energy[:, in_file], cover[:, in_file]
    missing = cover < _FULL
    gap_steps = np.zeros(len(meter_ids), dtype=np.int64)
    gap_steps[in_file] = missing.sum(axis=0)
    keep, dropped = _policy_keeps(spec, missing, cover, clock.step_s)
    filled = np.zeros(energy.shape)
    if spec.policy == "interpolate":
        filled = _interpolate(energy, cover, missing, keep)
    elif spec.policy == "profile":
        standard = profile_kw(in_file)[clock.wall] * (clock.step_s / 3600)
        filled = _from_profile(energy, cover, missing, standard)
    local = clock.to_local(energy[:, keep] + filled[:, keep])
    result = MeterImport(
        rows=in_file[keep],
        energy_kwh=local,
        filled_kwh=filled[:, keep].sum(axis=0),
        gap_steps=gap_steps,
        dropped={int(in_file[j]): why for j, why in dropped.items()},
    )
    result.report = _report(spec, records, result, missing, outside, clock, len(in_file))
    return result


class _Clock:
    """The horizon's UTC steps and the local wall step each one falls in."""

    def __init__(self, scenario: Scenario) -> None:
        tz = scenario.location.timezone
        self.step_s = scenario.step_minutes * 60
        self.n_local = scenario.n_steps
        start = pd.Timestamp(scenario.start)
        end = start + pd.Timedelta(minutes=scenario.n_steps * scenario.step_minutes)
        utc0 = start.tz_localize(tz, nonexistent="shift_forward", ambiguous=True).tz_convert("UTC")
        utc1 = end.tz_localize(tz, nonexistent="shift_forward", ambiguous=False).tz_convert("UTC")
        self.utc0_s = utc0.value // 1_000_000_000
        n_utc = int((utc1 - utc0).total_seconds() // self.step_s)
        utc = utc0 + pd.to_timedelta(np.arange(n_utc) * self.step_s, unit="s")
        wall = utc.tz_convert(tz).tz_localize(None)
        self.wall = np.clip(((wall - start).total_seconds().to_numpy() // self.step_s).astype(np.int64), 0, None)
        self.wall = np.minimum(self.wall, self.n_local - 1)
        self.n_utc = n_utc

    def to_local(self, utc_values: np.ndarray) -> np.ndarray:
        """Sum UTC steps into wall steps; a wall step no UTC step reaches (spring DST) shares the step after it."""
        out = np.zeros((self.n_local, utc_values.shape[1]))
        np.add.at(out, self.wall, utc_values)
        reached = np.zeros(self.n_local, dtype=bool)
        reached[self.wall] = True
        for start, length in _runs(~reached):
            partner = slice(start + length, min(start + 2 * length, self.n_local))
            n = partner.stop - partner.start
            out[start : start + n] = out[partner] / 2
            out[partner] /= 2
        return out

    def folded_steps(self) -> int:
        """Wall steps that hold two UTC steps (autumn DST)."""
        return int((np.bincount(self.wall, minlength=self.n_local) > 1).sum())

    def split_steps(self) -> int:
        """Wall steps that do not exist in local time (spring DST)."""
        return int((np.bincount(self.wall, minlength=self.n_local) == 0).sum())


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of each run of True in a 1-d mask."""
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return list(zip(starts.tolist(), (stops - starts).tolist(), strict=True))


def _intervals(records: MeterRecords, spec: MeterDataSpec, step_s: int) -> np.ndarray:
    """Each meter's metering interval: the smallest time between two of its rows; 1–60 min allowed."""
    n_meters = int(records.meter.max()) + 1 if len(records.meter) else 0
    order = np.lexsort((records.utc_s, records.meter))
    m, t = records.meter[order], records.utc_s[order]
    same = m[1:] == m[:-1]
    gaps = np.where(same, t[1:] - t[:-1], np.iinfo(np.int64).max)
    interval = np.full(n_meters, np.iinfo(np.int64).max)
    np.minimum.at(interval, m[1:], gaps)
    lonely = interval == np.iinfo(np.int64).max
    interval[lonely] = np.min(interval[~lonely]) if (~lonely).any() else step_s
    bad = np.flatnonzero((interval < 60) | (interval > 3600) | (interval % 60 != 0))
    if len(bad):
        row = order[np.flatnonzero(m == bad[0])[0]]
        raise DataError(
            f"{spec.file}, line {int(records.line[row])}: meter interval of {interval[bad[0]] / 60:g} min "
            "(whole minutes from 1 to 60 allowed)"
        )
    return interval


def _on_utc_steps(records: MeterRecords, interval_s: np.ndarray, clock: _Clock) -> tuple:
    """Energy and covered fraction per (UTC step, meter), spreading each record over the steps it overlaps."""
    n_meters = len(interval_s)
    a = (records.utc_s - clock.utc0_s) / clock.step_s
    width = interval_s[records.meter] / clock.step_s
    b = a + width
    energy = np.zeros((clock.n_utc, n_meters))
    cover = np.zeros((clock.n_utc, n_meters))
    first = np.floor(a).astype(np.int64)
    for j in range(int(np.ceil(width.max())) + 1 if len(a) else 0):
        s = first + j
        overlap = np.clip(np.minimum(b, s + 1) - np.maximum(a, s), 0, None)
        ok = (overlap > 0) & (s >= 0) & (s < clock.n_utc)
        np.add.at(energy, (s[ok], records.meter[ok]), records.energy_kwh[ok] * overlap[ok] / width[ok])
        np.add.at(cover, (s[ok], records.meter[ok]), overlap[ok])
    outside = int(((b <= 0) | (a >= clock.n_utc)).sum())
    return energy, cover, outside


def _policy_keeps(spec: MeterDataSpec, missing: np.ndarray, cover: np.ndarray, step_s: int) -> tuple:
    """Which meters the policy keeps, and why it drops the others."""
    n = missing.shape[1]
    keep = np.ones(n, dtype=bool)
    why: dict[int, str] = {}
    empty = ~(cover > 0).any(axis=0)
    for j in np.flatnonzero(empty):
        why[int(j)] = "no data in the horizon"
    if spec.policy == "drop":
        for j in np.flatnonzero(missing.any(axis=0) & ~empty):
            why[int(j)] = f"{int(missing[:, j].sum())} step(s) with missing data (policy 'drop')"
    elif spec.policy == "interpolate":
        limit = spec.interpolate_max_gap_min * 60 // step_s
        longest = _longest_run(missing)
        for j in np.flatnonzero((longest > limit) & ~empty):
            why[int(j)] = (
                f"a gap of {int(longest[j]) * step_s // 60} min, longer than interpolate_max_gap_min "
                f"= {spec.interpolate_max_gap_min}"
            )
    keep[list(why)] = False
    return keep, why


def _longest_run(mask: np.ndarray) -> np.ndarray:
    """Longest run of True down each column."""
    run = np.zeros(mask.shape[1], dtype=np.int64)
    longest = np.zeros(mask.shape[1], dtype=np.int64)
    for row in mask:  # over steps, vectorised over meters (import time, not per model step)
        run = np.where(row, run + 1, 0)
        np.maximum(longest, run, out=longest)
    return longest


def _interpolate(energy: np.ndarray, cover: np.ndarray, missing: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Energy to add in each incomplete step: the power interpolated between complete steps × the missing part."""
    filled = np.zeros(energy.shape)
    steps = np.arange(energy.shape[0])
    for j in np.flatnonzero(keep & missing.any(axis=0)):  # per meter with gaps, at import time
        full = ~missing[:, j]
        filled[:, j] = np.interp(steps, steps[full], energy[full, j]) * (1 - cover[:, j])
    return np.where(missing, np.clip(filled, 0, None), 0.0)


def _from_profile(energy: np.ndarray, cover: np.ndarray, missing: np.ndarray, standard_kwh: np.ndarray) -> np.ndarray:
    """Standard profile scaled to each meter's measured level (measured / profile energy over complete steps)."""
    full = ~missing
    measured = (energy * full).sum(axis=0)
    profile = (standard_kwh * full).sum(axis=0)
    scale = np.divide(measured, profile, out=np.ones_like(measured), where=profile > 0)
    return np.where(missing, standard_kwh * scale * (1 - np.clip(cover, 0, 1)), 0.0)


def _report(
    spec: MeterDataSpec, records: MeterRecords, result: MeterImport, missing: np.ndarray, outside: int,
    clock: _Clock, meters_in_file: int,
) -> dict[str, Any]:  # fmt: skip
    gap_runs = int(sum(len(_runs(missing[:, j])) for j in range(missing.shape[1])))
    return {
        "file": str(spec.file),
        "policy": spec.policy,
        "rows_read": records.rows_read,
        "rows_skipped": dict(records.skipped),
        "rows_outside_horizon": outside,
        "meters_in_file": meters_in_file,
        "households_measured": len(result.rows),
        "households_dropped": len(result.dropped),
        "dropped": {str(r): why for r, why in sorted(result.dropped.items())},
        "gap_steps": int(result.gap_steps.sum()),
        "gap_runs": gap_runs,
        "filled_kwh": float(result.filled_kwh.sum()),
        "measured_kwh": float(result.energy_kwh.sum() - result.filled_kwh.sum()),
        "dst_folded_steps": clock.folded_steps(),
        "dst_split_steps": clock.split_steps(),
    }
