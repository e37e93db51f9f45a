"""`cityflex.env`: a controller role of a city run as a Gymnasium environment (needs the optional extra `rl`).

    from cityflex.env import CityEnv
    env = CityEnv("scenarios/quickstart.toml")   # role "retailer": the day's price signal
    obs, info = env.reset(seed=0)

See `simulator.env` for the observation, the action and the reward.
"""

from __future__ import annotations

from simulator.env import DEFAULT_WEIGHTS, CityEnv, HourlySignal

__all__ = ["DEFAULT_WEIGHTS", "CityEnv", "HourlySignal"]
