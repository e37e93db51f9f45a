"""Power flow per step at city scale: pandapower's runpp against the Z-bus fast path, 200 substations × 70 households.

Run from the repository root: `.venv/bin/python -m bench.bench_powerflow [--steps 50]`.
Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from simulator.grid.grid import Grid, build_grid
from simulator.grid.powerflow import PandapowerFlow
from simulator.grid.powerflow_zbus import ZbusFlow
from simulator.grid.spec import SyntheticGridSpec

SPEC = SyntheticGridSpec(substations=200, mv_feeders=10, households_per_substation=70, power_flow="zbus")


def _steps(n_households: int, n_steps: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random household power [kW, kvar], consumption positive, some PV export; seeded."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_steps):
        p_kw = rng.uniform(-3.0, 7.0, n_households)
        out.append((p_kw, 0.3 * p_kw.clip(min=0) + rng.normal(0.0, 0.2, n_households)))
    return out


def _ms_per_step(solve, steps, warm_up: int = 3) -> float:
    for p_kw, q_kvar in steps[:warm_up]:
        solve(p_kw, q_kvar)
    t0 = time.perf_counter()
    for p_kw, q_kvar in steps:
        solve(p_kw, q_kvar)
    return (time.perf_counter() - t0) / len(steps) * 1000.0


def main() -> None:
    """Build the grid, time both backends over the same steps, compare their voltages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=50)
    n_steps = parser.parse_args().steps

    t0 = time.perf_counter()
    grid = build_grid(SPEC)
    build_s = time.perf_counter() - t0
    steps = _steps(grid.n_households, n_steps)
    print(
        f"grid: {SPEC.substations} substations × {SPEC.households_per_substation} "
        f"households = {grid.n_households} households, {len(grid.net.bus)} buses, {len(grid.net.line)} lines; "
        f"built (incl. one runpp and the Z-bus factorisation) in {build_s:.2f} s"
    )

    runpp_ms = _ms_per_step(grid.solve_reference, steps)
    zbus_ms = _ms_per_step(grid.solve, steps)
    print(f"runpp  (Grid.solve_reference, NR, init='results'): {runpp_ms:8.2f} ms per step")
    print(
        f"zbus   (Grid.solve, backend={grid.backend!r}):         {zbus_ms:8.2f} ms per step "
        f"(×{runpp_ms / zbus_ms:.1f}; fallbacks to runpp: {grid.zbus_fallbacks})"
    )
    _compare(grid, steps[:10])


def _compare(grid: Grid, steps) -> None:
    """Largest differences between the backends over every bus, line and transformer."""
    fast, reference = ZbusFlow(grid.net), PandapowerFlow(grid.net)
    dv = dl = dt = dp = 0.0
    iterations = []
    for p_kw, q_kvar in steps:
        a, b = fast.run(p_kw, q_kvar), reference.run(p_kw, q_kvar)
        iterations.append(fast.iterations)
        dv = max(dv, np.nanmax(np.abs(a.vm_pu - b.vm_pu)))
        dl = max(dl, np.max(np.abs(a.line_loading_pct - b.line_loading_pct)))
        dt = max(dt, np.max(np.abs(a.trafo_loading_pct - b.trafo_loading_pct)))
        dp = max(dp, abs(a.ext_grid_p_mw - b.ext_grid_p_mw) / abs(b.ext_grid_p_mw))
    print(
        f"zbus vs runpp over {len(steps)} steps: max |Δvm| {dv:.2e} p.u., max |Δline loading| {dl:.2e} %-pt, "
        f"max |Δtrafo loading| {dt:.2e} %-pt, max rel Δ ext-grid P {dp:.2e}; "
        f"Z-bus iterations per step {min(iterations)}–{max(iterations)}"
    )


if __name__ == "__main__":
    main()
