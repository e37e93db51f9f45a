"""Make the small anonymised smart-meter example data set in `scenarios/data/` (seeded, reproducible).

Nothing in it is measured: each meter's consumption is a SimBench household shape at a random
level with noise, written in City-zen's one simple CSV format (seed 003): `meter_id,timestamp,
energy_kwh`, ISO 8601 local time with its UTC offset, at 15, 30 or 60-minute intervals. Meter ids
are the grid's household names (`hh0`, `hh1`, …), so they carry no personal information. The file
has the faults real exports have: gaps of every length, a duplicated row, a negative reading, a
garbled timestamp, a meter the district does not know, a short row.

    .venv/bin/python scripts/make_meter_data.py [--out scenarios/data/meter_demo.csv] [--seed 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.profiles import on_steps, simbench_load_shapes

TYPES = ("H0-A", "H0-B", "H0-C", "H0-G", "H0-H", "H0-L")


def make_rows(
    seed: int, meters: int, start: str, days: int, timezone: str = "Europe/Lisbon"
) -> tuple[list[str], dict[str, int]]:
    """CSV lines (without header) and a count of each injected fault."""
    rng = np.random.default_rng(seed)
    local = pd.date_range(start, periods=days * 96, freq="15min", tz=timezone)
    shapes = on_steps(simbench_load_shapes(TYPES), local.tz_localize(None), 15)
    lines: list[str] = []
    faults = {"gap_runs": 0, "duplicate": 0, "negative": 0, "bad_timestamp": 0, "unknown_meter": 0, "short_row": 0}
    for m in range(meters):
        interval = int(rng.choice([15, 15, 15, 30, 60]))
        per = interval // 15
        kw = shapes[rng.integers(len(TYPES))] * rng.lognormal(np.log(1.4), 0.4)
        kw = kw * rng.lognormal(-0.02, 0.2, size=kw.shape)
        kwh = kw.reshape(-1, per).sum(axis=1) * 0.25
        stamps = local[::per]
        keep = np.ones(len(kwh), dtype=bool)
        for _ in range(rng.poisson(1.5)):  # gaps: from one interval to half a day
            a = rng.integers(len(kwh))
            keep[a : a + int(rng.choice([1, 2, 4, 12, 48]))] = False
            faults["gap_runs"] += 1
        for t, e in zip(stamps[keep], kwh[keep], strict=True):
            lines.append(f"hh{m},{t.isoformat()},{e:.4f}")
    _inject_faults(lines, rng, faults, local)
    return lines, faults


def _inject_faults(lines: list[str], rng: np.random.Generator, faults: dict[str, int], local) -> None:
    n = len(lines)
    lines.insert(int(rng.integers(n)), lines[int(rng.integers(n))])
    faults["duplicate"] += 1
    meter, stamp, _ = lines[int(rng.integers(n))].split(",")
    lines.insert(int(rng.integers(n)), f"{meter},{stamp},-0.1200")
    faults["negative"] += 1
    lines.insert(int(rng.integers(n)), f"{meter},2016-13-45T25:00:00+00:00,0.1000")
    faults["bad_timestamp"] += 1
    lines.insert(int(rng.integers(n)), f"zz999,{local[5].isoformat()},0.2000")
    faults["unknown_meter"] += 1
    lines.insert(int(rng.integers(n)), f"{meter},{local[7].isoformat()}")
    faults["short_row"] += 1


def main() -> None:
    """Write the example file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--out", type=Path, default=root / "scenarios" / "data" / "meter_demo.csv")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--meters", type=int, default=40)
    parser.add_argument("--start", default="2016-01-11")
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    lines, faults = make_rows(args.seed, args.meters, args.start, args.days)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("meter_id,timestamp,energy_kwh\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(lines)} rows, {args.meters} meters; injected {faults}")


if __name__ == "__main__":
    main()
