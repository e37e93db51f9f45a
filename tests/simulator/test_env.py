"""Controller roles as a Gymnasium environment: the checker passes, seeded rollouts repeat exactly, and a role sees
only what the hub's access rules release to it (a declining household never enters an observation)."""

from __future__ import annotations

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from cityflex.env import CityEnv  # noqa: E402
from simulator.scenario import scenario_from_dict  # noqa: E402
from tests.conftest import quickstart_dict, small_scenario  # noqa: E402


def _city(consent_share: float = 0.6, **top) -> object:
    """The two-day quickstart (150 homes, one retailer) with some households declining consent."""
    d = quickstart_dict(horizon_days=2, **top)
    d["households"] = {**d["households"], "consent_share": consent_share}
    return scenario_from_dict(d)


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
    with pytest.raises(ValueError, match="role: 'regulator'"):
        CityEnv(small_scenario(), role="regulator")
    with pytest.raises(ValueError, match="no \\[hub\\] section"):
        CityEnv(small_scenario(), role="dso")
    with pytest.raises(ValueError, match="retailer_id: 'Nobody'"):
        CityEnv(small_scenario(), retailer_id="Nobody")
    with pytest.raises(ValueError, match="reward_weights: unknown"):
        CityEnv(small_scenario(), reward_weights={"comfort": 1.0})


def _first_day_observation(scenario, change_row: int | None = None) -> np.ndarray:
    """The retailer's observation after one flat day; `change_row`'s base load tripled from the start."""
    env = CityEnv(scenario)
    env.reset(seed=5)
    if change_row is not None:
        env.model.fleet["households"].profiles.base_scale_kw[change_row] *= 3.0
    return env.step(np.zeros(24, dtype=np.float32))[0]


def test_a_declining_households_load_never_enters_the_retailers_observation():
    scenario = _city()
    env = CityEnv(scenario)
    env.reset(seed=5)
    consent = env.view.access.consent[: env.model.fleet["households"].n]
    declining, consenting = int(np.flatnonzero(~consent)[0]), int(np.flatnonzero(consent)[0])
    assert declining not in set(env.view.ids) and consenting in set(env.view.ids)
    plain = _first_day_observation(scenario)
    assert np.array_equal(_first_day_observation(scenario, declining), plain)
    assert not np.array_equal(_first_day_observation(scenario, consenting)[:24], plain[:24])  # the check can see


def test_a_portfolio_below_the_minimum_group_gets_no_load_aggregate():
    env = CityEnv(_city(consent_share=0.01))  # one or two of 150 homes consent: fewer than the group of 5
    env.reset(seed=5)
    obs = env.step(np.zeros(24, dtype=np.float32))[0]
    assert env.view.ids.size == 0 and env.view.access.n_denied > 0
    assert np.all(obs[:24] == 0) and np.all(obs[24:] > 0)  # prices still shown


def _dso_env() -> CityEnv:
    return CityEnv(_city(hub={}), role="dso", reward_weights={"peak": 1.0, "overloads": 1.0})


def test_the_dso_role_passes_the_checker_and_repeats_a_seeded_rollout():
    env = _dso_env()
    check_env(env, skip_render_check=True)
    first, second = _rollout(env, 3), _rollout(env, 3)
    assert len(first) == 2 * env.scenario.steps_per_day and first == second


def test_the_dso_action_sends_its_requests_through_the_hub():
    env = _dso_env()
    n = env.action_space.shape[1]
    sent = {}
    for name, action in (
        ("nothing", np.zeros((2, n), dtype=np.float32)),
        ("flexibility", np.vstack([np.full(n, 0.2), np.zeros(n)]).astype(np.float32)),
        ("emergency", np.vstack([np.zeros(n), np.ones(n)]).astype(np.float32)),
    ):
        env.reset(seed=2)
        for _ in range(4):
            obs = env.step(action)[0]
        sent[name] = [s.kind for s in env.model.fleet["dso"].congestion.sent]
        if name == "emergency":
            assert np.all(obs[3 * n : 4 * n] == 1.0)  # every area shown in emergency
    assert sent["nothing"] == []
    assert sent["flexibility"].count("flexibility") == n  # one per area; the next waits for the window to end
    assert sent["emergency"].count("emergency_notice") == n and "flexibility" not in sent["emergency"]


def test_the_hems_role_passes_the_checker_and_its_steering_moves_the_fleets_load():
    env = CityEnv(_city(), role="hems")
    check_env(env, skip_render_check=True)
    first, second = _rollout(env, 4), _rollout(env, 4)
    assert len(first) == 2 and first == second
    flat = np.zeros(24, dtype=np.float32)
    cheap_night = np.r_[-np.ones(7), np.ones(17)].astype(np.float32)  # ½× before 7 h, 2× after
    shifted = {}
    for name, action in (("flat", flat), ("cheap_night", cheap_night)):
        env.reset(seed=1)
        shifted[name] = env.step(action)[4]["kpis"]["deferral"]
    assert env.view.ids.size >= 5
    assert shifted["cheap_night"] > shifted["flat"]  # more flexible load moved by the HEMS
