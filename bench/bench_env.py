"""Step cost of `CityEnv` against a plain run of the same model (issue 10: within 2× at 1,000 households).

Usage: .venv/bin/python bench/bench_env.py [SCENARIO.toml]   (default: scenarios/lisbon_district.toml, 840 homes)
Times a plain `CityModel` run to the horizon and an env rollout (best of two each) (reset + a day per step, flat signal)
on the same scenario and seed. Prints figures; asserts nothing. Needs the optional extra `rl`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.env import CityEnv
from simulator.model import CityModel
from simulator.scenario import load_scenario


def main() -> None:
    """Print wall times and their ratio."""
    scenario = load_scenario(Path(sys.argv[1] if len(sys.argv) > 1 else "scenarios/lisbon_district.toml"))
    plain_s, env_s = [], []
    for _ in range(2):  # best of two: the first run also warms the profile caches
        t0 = time.perf_counter()
        model = CityModel(scenario)
        while model.running:
            model.step()
        plain_s.append(time.perf_counter() - t0)
        env = CityEnv(scenario)
        t0 = time.perf_counter()
        env.reset(seed=scenario.seed)
        done, days = False, 0
        while not done:
            done = env.step(np.zeros(24, dtype=np.float32))[2]
            days += 1
        env_s.append(time.perf_counter() - t0)
    plain_s, env_s = min(plain_s), min(env_s)
    n, steps = model.population.n, scenario.n_steps
    print(f"{scenario.name}: {n} households, {steps} steps ({days} env steps of a day)")
    print(f"  plain run (set-up + steps)  {plain_s:7.2f} s   {plain_s / steps * 1e3:6.2f} ms per model step")
    print(f"  env rollout (reset + days)  {env_s:7.2f} s   {env_s / days * 1e3:6.1f} ms per env step (a day)")
    print(f"  env / plain                 {env_s / plain_s:7.2f}×")


if __name__ == "__main__":
    main()
