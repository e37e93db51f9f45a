"""Your own network: build time and time per step of imported grids, balanced and unbalanced.

Run from the repository root: `.venv/bin/python -m bench.bench_grid_import [--steps 20]`.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

from simulator.grid.grid import build_grid
from simulator.grid.spec import FileGridSpec, SimbenchGridSpec, UnbalancedSpec

KERBER = Path(__file__).resolve().parent.parent / "scenarios" / "data" / "grids" / "kerber_landnetz_kabel_1.json"


def _time_steps(grid, n_steps: int, seed: int = 0) -> float:
    """Mean seconds per solve over `n_steps` random steps (after one warm-up)."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.1, 5.0, (n_steps + 1, grid.n_households))
    grid.solve(p[0], 0.3 * p[0])
    start = time.perf_counter()
    for row in p[1:]:
        grid.solve(row, 0.3 * row)
    return (time.perf_counter() - start) / n_steps


def main() -> None:
    """Print build and per-step times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=20)
    steps = parser.parse_args().steps
    warnings.simplefilter("ignore", UserWarning)  # the assumed zero-sequence data warning
    cases = [
        ("pandapower JSON (Kerber, 8 homes), balanced", FileGridSpec(kind="file", path=KERBER)),
        ("pandapower JSON (Kerber, 8 homes), single-phase runpp_3ph",
         FileGridSpec(kind="file", path=KERBER, unbalanced=UnbalancedSpec())),
        ("SimBench LV 1-LV-semiurb4--0-sw, single-phase runpp_3ph",
         SimbenchGridSpec(kind="simbench", code="1-LV-semiurb4--0-sw", unbalanced=UnbalancedSpec())),
        ("SimBench MV 1-MV-rural--0-sw, Z-bus", SimbenchGridSpec(kind="simbench", code="1-MV-rural--0-sw")),
        ("SimBench MV 1-MV-rural--0-sw, runpp",
         SimbenchGridSpec(kind="simbench", code="1-MV-rural--0-sw", power_flow="pandapower")),
    ]  # fmt: skip
    for name, spec in cases:
        start = time.perf_counter()
        grid = build_grid(spec)
        built = time.perf_counter() - start
        per_step = _time_steps(grid, steps)
        print(f"{name}: {grid.n_households} households, backend {grid.backend}, "
              f"build {built:.2f} s, {per_step * 1000:.1f} ms a step")  # fmt: skip


if __name__ == "__main__":
    main()
