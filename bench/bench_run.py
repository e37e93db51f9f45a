"""Benchmark a whole run (scenario + baseline): wall time, peak memory, time per step by phase.

Usage: .venv/bin/python bench/bench_run.py [SCENARIO.toml]   (default: scenarios/lisbon_district.toml)
Prints figures; asserts nothing.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.results.run_result import write_results
from simulator.runner import Simulation
from simulator.scenario import load_scenario


def main() -> None:
    """Run the scenario once and print where the time went."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "scenarios/lisbon_district.toml")
    scenario = load_scenario(path)
    t0 = time.perf_counter()
    sim = Simulation(scenario)
    t_setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    while not sim.done:
        sim.step()
    t_steps = time.perf_counter() - t1
    result = sim.result()
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_results(result, Path(tmp) / "out")
    t_write = time.perf_counter() - t2
    total = time.perf_counter() - t0
    n, steps = sim.model.population.n, scenario.n_steps
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scenario        {path} ({n} households, {len(sim.model.grid.substation_names)} substations, {steps} steps)")
    print(f"power flow      {sim.model.grid.backend}")
    print(
        f"wall time       {total:8.2f} s  (set-up {t_setup:.2f} s, steps {t_steps:.2f} s, results+KPIs {t_write:.2f} s)"
    )
    print(f"peak memory     {peak_mb:8.0f} MB (max RSS)")
    print("per step, both models (scenario + baseline):")
    for phase in sim.model.phase_s:
        both = sim.model.phase_s[phase] + sim.baseline.phase_s[phase]
        print(f"  {phase:<12} {1000 * both / steps:8.3f} ms")
    other = t_steps - sum(sim.model.phase_s.values()) - sum(sim.baseline.phase_s.values())
    if sim.without_hub is not None:  # the what-if run without the hub ([hub] compare_without_hub)
        what_if = sum(sim.without_hub.phase_s.values())
        other -= what_if
        print(f"  {'without hub':<12} {1000 * what_if / steps:8.3f} ms  (the what-if model, all phases)")
    print(f"  {'mesa/other':<12} {1000 * other / steps:8.3f} ms")
    print(
        f"  {'total':<12} {1000 * t_steps / steps:8.3f} ms  ({1e6 * t_steps / steps / n / 2:.3f} µs per household-step)"
    )
    print(f"peak reduction  {result.kpis['peak_reduction_pct']:.2f} %")


if __name__ == "__main__":
    main()
