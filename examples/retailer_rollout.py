"""Roll out two simple retailer policies in `CityEnv` and print their rewards (needs the `rl` extra).

Usage: .venv/bin/python examples/retailer_rollout.py [SCENARIO.toml]   (default: scenarios/quickstart.toml)
A flat signal (the tariff as it is) against a rule that doubles the signal from 17 to 22 h, the evening
peak; the reward is − the day's peak over the forecast mean (the default KPI mix).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cityflex.env import CityEnv


def rollout(env: CityEnv, policy, seed: int = 0) -> list[float]:
    """One episode with `policy(observation) -> action`; the reward of every day."""
    obs, _ = env.reset(seed=seed)
    rewards, done = [], False
    while not done:
        obs, reward, done, _, _ = env.step(policy(obs))
        rewards.append(reward)
    return rewards


def main() -> None:
    """Print each policy's daily rewards and total."""
    env = CityEnv(sys.argv[1] if len(sys.argv) > 1 else "scenarios/quickstart.toml")
    flat = np.zeros(24, dtype=np.float32)  # multiplier 2 ** 0 = 1: the tariff as it is
    evening = flat.copy()
    evening[17:22] = 1.0  # 2 ** 1: twice the price
    for name, policy in (("flat signal", lambda obs: flat), ("dear evening 17-22 h", lambda obs: evening)):
        rewards = rollout(env, policy)
        print(f"{name:<22} daily rewards {np.round(rewards, 3).tolist()}  total {sum(rewards):.3f}")


if __name__ == "__main__":
    main()
