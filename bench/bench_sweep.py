"""Sweep throughput: runs per second of the example sweep on 1 and 2 local workers (prints figures).

.venv/bin/python bench/bench_sweep.py [SWEEP.toml]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.sweep.design import load_sweep
from simulator.sweep.runner import run_sweep


def main() -> None:
    """Run the sweep from scratch once per worker count and print runs/s."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "scenarios" / "sweeps" / "hems_share.toml"
    plan = load_sweep(path)
    print(f"{plan.name}: {len(plan.runs)} runs of {plan.base.name}")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            result = run_sweep(plan, out, engine="local", workers=workers)
            wall = time.perf_counter() - started
        run_s = result.table["wall_time_s"].sum()
        print(
            f"workers={workers}: {wall:6.1f} s wall, {len(plan.runs) / wall:5.2f} runs/s "
            f"(sum of run wall times {run_s:.1f} s; worker start-up included)"
        )


if __name__ == "__main__":
    main()
