"""Behavioural response and engagement: no price difference, no response; fatigue lowers later responses."""

from __future__ import annotations

import numpy as np

from agents.households.behaviour import BehaviourSpec, curtail_fraction, price_signal, response_probability
from agents.households.engagement import Engagement, EngagementSpec

SPD = 96


def test_a_tariff_with_no_price_difference_moves_and_cuts_nothing():
    window = np.full((1, 2 * SPD), 0.17)
    signal = price_signal(window, SPD)
    assert signal.log_ratio[0] == 0 and not signal.log_rel_price.any()
    n = 50
    p = response_probability(BehaviourSpec(), np.ones(n), np.ones(n), np.zeros(n), np.zeros(n, dtype=bool))
    assert not p.any()
    cut = curtail_fraction(BehaviourSpec(), np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.zeros((n, SPD)))
    assert not cut.any()


def test_response_grows_with_the_log_price_ratio_and_engagement():
    spec = BehaviourSpec()
    ratios = np.log(np.array([1.5, 2.0, 4.0]))
    low = response_probability(spec, np.full(3, 0.3), np.ones(3), ratios, np.zeros(3, dtype=bool))
    high = response_probability(spec, np.full(3, 0.6), np.ones(3), ratios, np.zeros(3, dtype=bool))
    assert (np.diff(low) > 0).all() and (high > low).all()


def test_fatigue_lowers_the_response_to_the_tenth_request_below_the_first():
    n = 2000
    eng = Engagement(EngagementSpec(), n, np.random.default_rng(1))
    spec, request = BehaviourSpec(), np.ones(n, dtype=bool)
    log_ratio = np.full(n, np.log(5.8))
    first = tenth = None
    for i in range(10):
        eng.start_day(i, np.zeros(n, dtype=int))
        p = response_probability(spec, eng.level, eng.fatigue, log_ratio, request)
        first = p.mean() if i == 0 else first
        tenth = p.mean()
        eng.end_day(request, np.zeros(n, dtype=bool), np.zeros(n))
    assert tenth < 0.7 * first
    assert eng.requests.max() == 10


def test_quiet_days_restore_responsiveness_and_opt_outs_are_counted():
    n = 5000
    eng = Engagement(EngagementSpec(opt_out_per_request=0.05), n, np.random.default_rng(2))
    for _ in range(5):
        eng.end_day(np.ones(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n))
    tired = eng.fatigue.mean()
    assert eng.opted_out.sum() > 0
    for _ in range(5):
        eng.end_day(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n))
    assert eng.fatigue.mean() > tired


def test_tokens_never_exceed_the_budget():
    from agents.households.engagement import TokensSpec

    n = 100
    eng = Engagement(
        EngagementSpec(tokens=TokensSpec(enabled=True, budget=500.0, redeem_threshold=3.0)), n, np.random.default_rng(3)
    )
    for day in range(10):
        eng.start_day(day, np.zeros(n, dtype=int))
        eng.end_day(np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.full(n, 1.0))
    assert eng.tokens_issued.sum() <= 500.0 + 1e-9
    assert eng.tokens_redeemed.sum() > 0
