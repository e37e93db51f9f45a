"""Roll out simple policies of the retailer and the DSO roles in `CityEnv`; print their rewards (`rl` extra).

Usage: .venv/bin/python examples/retailer_rollout.py [SCENARIO.toml]   (default: scenarios/quickstart.toml)
Retailer (one env step a day): a flat signal (the tariff as it is) against a rule that doubles the signal from
17 to 22 h, the evening peak; the reward is − the day's peak over the forecast mean (the default KPI mix).
The retailer sees only its consenting clients' aggregate load (the hub's access rules). The same two rules then
steer the HEMS fleet (role "hems": the multiplier changes only what the HEMS plan on, not the bills).
DSO (one env step per model step; only when the scenario has a `[hub]`): never asking against asking every
substation for 5 % of its rating from 18 to 21 h (the hour read from the observation's time of day); the
reward adds the overloaded share. Try the DSO on a grid that congests, `scenarios/lisbon_2030.toml` (its
250 kVA transformers overload; asking in the evening sends 252 requests and improves the reward there), not
on `lisbon_district`, whose transformers stay near 20 % loading so asking changes nothing.
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
    path = sys.argv[1] if len(sys.argv) > 1 else "scenarios/quickstart.toml"
    flat = np.zeros(24, dtype=np.float32)  # multiplier 2 ** 0 = 1: the tariff as it is
    evening = flat.copy()
    evening[17:22] = 1.0  # 2 ** 1: twice the price
    for role in ("retailer", "hems"):
        env = CityEnv(path, role=role)
        print(f"retailer {env.retailer_id!r}" if role == "retailer" else "hems fleet")
        for name, policy in (("flat signal", lambda obs: flat), ("dear evening 17-22 h", lambda obs: evening)):
            rewards = rollout(env, policy)
            print(f"  {name:<22} daily rewards {np.round(rewards, 3).tolist()}  total {sum(rewards):.3f}")
    if env.scenario.hub is None:
        print("dso: the scenario has no [hub] section (the DSO acts through the hub); skipped")
        return
    env = CityEnv(path, role="dso", reward_weights={"peak": 1.0, "overloads": 1.0})
    n = env.action_space.shape[1]
    print(f"dso ({n} substations)")

    def ask_in_the_evening(obs: np.ndarray) -> np.ndarray:
        hour = (np.arctan2(obs[-2], obs[-1]) / (2 * np.pi) * 24) % 24
        return np.vstack([np.full(n, 0.05 if 18 <= hour < 21 else 0.0), np.zeros(n)]).astype(np.float32)

    for name, policy in (("never ask", lambda obs: np.zeros((2, n), np.float32)), ("ask 18-21 h", ask_in_the_evening)):
        rewards = rollout(env, policy)
        sent = len(env.model.fleet["dso"].congestion.sent)
        print(f"  {name:<22} steps {len(rewards)}  total reward {sum(rewards):.3f}  requests sent {sent}")


if __name__ == "__main__":
    main()
