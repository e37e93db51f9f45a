"""Step cost of `CityEnv`, per role, against a plain run of the same model (issue 10: within 2× at 1,000 homes).

Usage: .venv/bin/python bench/bench_env.py [SCENARIO.toml] [KEY=VALUE ...]
Default: scenarios/lisbon_district.toml with grid.households_per_substation=84 (12 × 84 = 1,008 households)
and horizon_days=2. Times a plain `CityModel` run to the horizon and, for each role, an env rollout (reset +
every env step: a day for the retailer and the HEMS fleet with a flat signal, a model step for the DSO asking
for nothing), best of two each, on the same scenario and seed. The DSO role needs a `[hub]`. Prints figures;
asserts nothing. Needs the optional extra `rl`.
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
from simulator.scenario_overrides import apply_overrides, parse_assignments

DEFAULT_SETS = ("grid.households_per_substation=84", "horizon_days=2")


def _plain(scenario) -> tuple[float, int]:
    t0 = time.perf_counter()
    model = CityModel(scenario)
    while model.running:
        model.step()
    return time.perf_counter() - t0, model.population.n


def _rollout(scenario, role: str) -> tuple[float, int]:
    env = CityEnv(scenario, role=role)
    action = np.zeros(env.action_space.shape, dtype=np.float32)  # flat signal / no request, no emergency
    t0 = time.perf_counter()
    env.reset(seed=scenario.seed)
    done, n = False, 0
    while not done:
        done = env.step(action)[2]
        n += 1
    return time.perf_counter() - t0, n


def main() -> None:
    """Print wall times and the ratio of each role's rollout to the plain run."""
    args = sys.argv[1:]
    path = Path(args.pop(0)) if args and not args[0].count("=") else Path("scenarios/lisbon_district.toml")
    scenario = apply_overrides(load_scenario(path), parse_assignments(args or DEFAULT_SETS))
    roles = ["retailer", "hems"] + (["dso"] if scenario.hub is not None else [])
    plain_s, env_s = [], {role: [] for role in roles}
    for _ in range(2):  # best of two: the first run also warms the profile caches
        plain_s.append(_plain(scenario))
        for role in roles:
            env_s[role].append(_rollout(scenario, role))
    (plain, n), steps = min(plain_s), scenario.n_steps
    print(f"{scenario.name}: {n} households, {steps} model steps")
    print(f"  plain run (set-up + steps)    {plain:7.2f} s   {plain / steps * 1e3:6.2f} ms per model step")
    for role in roles:
        t, n_env = min(env_s[role])
        per, ratio = t / n_env * 1e3, t / plain
        print(f"  {role:<8} rollout ({n_env:>3} steps)   {t:7.2f} s   {per:6.1f} ms per env step   {ratio:5.2f}× plain")


if __name__ == "__main__":
    main()
