"""City-scale benchmark (issue 7): the Lisbon parish for a week and a year, and cost per household-step.

Usage:
  .venv/bin/python bench/bench_city.py week            # ≈14,000 households, 200 substations, 7 days
  .venv/bin/python bench/bench_city.py year            # the same for 365 days (wall time and peak memory)
  .venv/bin/python bench/bench_city.py scaling         # one day at 1,400 / 14,000 / 140,000 households
Each mode runs the scenario and its baseline with an AC power flow every 15-minute step and writes the
results; it prints figures and asserts nothing. Run one mode per process (peak memory is per process).
"""

from __future__ import annotations

import copy
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.runner import run
from simulator.scenario import read_toml, scenario_from_dict


def parish(horizon_days: float, substations: int = 200, per_substation: int = 70):
    """lisbon_district grown to the UPGRID parish: ≈14,000 customers behind 200 secondary substations (seed 004)."""
    data = copy.deepcopy(read_toml(ROOT / "scenarios" / "lisbon_district.toml"))
    data["name"] = f"parish_{substations * per_substation}"
    data["horizon_days"] = horizon_days
    data["grid"].update(
        substations=substations, households_per_substation=per_substation, mv_feeders=max(1, substations // 10)
    )
    data.pop("expect", None)
    # the hub is on (DSO, retailer platforms, HEMS); the extra what-if run without it is an analysis, not the run
    data["hub"]["compare_without_hub"] = False
    return scenario_from_dict(data, source="bench parish")


def measure(scenario, parallel: bool) -> dict[str, float]:
    """Run as `main.py run` does (baseline in lockstep, or in a second process), write results, return figures."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result = run(scenario, Path(tmp) / "out", parallel_baseline=parallel)
        wall = time.perf_counter() - t0
    phase = result.meta["phase_s"]
    pf_run, pf_base = phase["scenario"]["power_flow"], phase["baseline"]["power_flow"]
    # what the same week costs with power flow alone: both models' solves, side by side when parallel
    pf_alone = max(pf_run, pf_base) if parallel else pf_run + pf_base
    steps_s = sum(phase["scenario"].values()) + sum(phase["baseline"].values())
    n = result.meta["engine"]["households"]
    return {
        "mode": "baseline in a 2nd process" if parallel else "lockstep, 1 process",
        "households": n,
        "steps": scenario.n_steps,
        "wall_s": wall,
        "setup_s": result.meta["setup_s"],
        "power_flow_s": pf_alone,
        "ratio_to_power_flow": wall / pf_alone,
        "us_per_household_step": 1e6 * steps_s / (2 * n * scenario.n_steps),
        "peak_rss_mb": _peak_rss_mb(),
        "backend": result.meta["engine"]["power_flow"],
    }


def _peak_rss_mb() -> float:
    """Largest resident set of this process or of any finished child (the baseline process)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def show(label: str, f: dict[str, float]) -> None:
    """Print one measurement."""
    print(
        f"{label} [{f['mode']}]: {f['households']} households, {f['steps']} steps, power flow {f['backend']}\n"
        f"  wall time            {f['wall_s']:8.2f} s  (set-up {f['setup_s']:.2f} s; results written)\n"
        f"  power flow alone     {f['power_flow_s']:8.2f} s  → wall / power flow = {f['ratio_to_power_flow']:.2f}×\n"
        f"  per household-step   {f['us_per_household_step']:8.3f} µs (step phases, both models)\n"
        f"  peak memory          {f['peak_rss_mb']:8.0f} MB (max RSS of one process)"
    )


def main() -> None:
    """Dispatch on the mode."""
    mode = sys.argv[1] if len(sys.argv) > 1 else "week"
    if mode == "week":
        for parallel in (True, False):
            show("Lisbon parish, one week", measure(parish(7), parallel))
    elif mode == "year":
        show("Lisbon parish, one year", measure(parish(365), parallel=True))
    elif mode == "scaling":
        for substations in (20, 200, 2000):
            show(f"one day, {substations} substations", measure(parish(1, substations), parallel=False))
    else:
        sys.exit(f"unknown mode {mode!r}: week, year or scaling")


if __name__ == "__main__":
    main()
