"""The retailer's price signal as a Gymnasium environment: the checker passes, seeded rollouts repeat exactly."""

from __future__ import annotations

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from cityflex.env import CityEnv  # noqa: E402
from tests.conftest import small_scenario  # noqa: E402


def _env(**weights) -> CityEnv:
    return CityEnv(small_scenario(horizon_days=2), reward_weights=weights or None)


def _rollout(env: CityEnv, seed: int) -> list[float]:
    env.reset(seed=seed)
    env.action_space.seed(seed)
    rewards, done = [], False
    while not done:
        _, reward, done, _, _ = env.step(env.action_space.sample())
        rewards.append(reward)
    return rewards


def test_the_environment_passes_gymnasiums_checker():
    check_env(_env(), skip_render_check=True)


def test_a_seeded_rollout_twice_gives_identical_rewards():
    env = _env(peak=1.0, cost=0.5, overloads=1.0)
    first, second = _rollout(env, 7), _rollout(env, 7)
    assert len(first) == 2 and first == second
    assert _rollout(env, 8) != first


def test_the_signal_changes_what_households_do_and_the_reward_reports_it():
    env = _env()
    flat = np.zeros(24, dtype=np.float32)  # 2 ** 0: the tariff as it is
    dear_evening = flat.copy()
    dear_evening[17:22] = 1.0  # 2 ** 1: twice the price from 17 to 22 h
    kpis = {}
    for name, action in (("flat", flat), ("dear_evening", dear_evening)):
        env.reset(seed=1)
        _, reward, _, _, info = env.step(action)
        kpis[name] = info["kpis"]
        assert reward == pytest.approx(-info["kpis"]["peak"])  # default weights: the peak only
    assert kpis["dear_evening"]["deferral"] > kpis["flat"]["deferral"]  # more flexible load moved


def test_an_unknown_role_or_reward_term_is_an_error_naming_it():
    with pytest.raises(ValueError, match="role: 'dso'"):
        CityEnv(small_scenario(), role="dso")
    with pytest.raises(ValueError, match="reward_weights: unknown"):
        CityEnv(small_scenario(), reward_weights={"comfort": 1.0})
