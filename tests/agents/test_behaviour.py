"""Behavioural response and engagement: no price difference, no response; fatigue lowers later responses."""

from __future__ import annotations

import numpy as np

from agents.households.behaviour import curtail_fraction, expected_manual_cut, price_signal, response_probability
from agents.households.engagement import Engagement, EngagementSpec
from agents.response.parameters import load_parameters
from agents.response.price import manual_peak_cut, peak_cut

P = load_parameters()

SPD = 96


def test_a_tariff_with_no_price_difference_moves_and_cuts_nothing():
    window = np.full((1, 2 * SPD), 0.17)
    signal = price_signal(window, SPD)
    assert signal.log_ratio[0] == 0 and not signal.log_rel_price.any()
    n = 50
    none = np.zeros(n, dtype=bool)
    p = response_probability(P, np.ones(n), np.zeros(n), none, none)
    assert not p.any()
    cut = curtail_fraction(P, np.ones(n, dtype=bool), np.ones(n, dtype=bool), np.zeros((n, SPD)))
    assert not cut.any()


def test_response_grows_with_the_log_price_ratio_and_engagement():
    ratios = np.log(np.array([1.5, 2.0, 4.0]))
    no = np.zeros(3, dtype=bool)
    low = response_probability(P, np.full(3, 0.6), ratios, no, no)
    high = response_probability(P, np.full(3, 1.2), ratios, no, no)
    assert (np.diff(low) > 0).all() and (high > low).all()


def test_the_city_run_expects_the_register_fitted_manual_cut_with_diminishing_returns():
    """The city's households respond as agents.response.price says (what `main.py evidence` checks)."""
    ratios = np.array([1.5, 2.0, 4.0, 8.0, 16.0])
    rho = np.ones(len(ratios))
    for request, kind in ((False, "tou"), (True, "cpp")):
        asked = np.full(len(ratios), request)
        city = expected_manual_cut(P, np.log(ratios), asked, rho)
        fitted = np.array([manual_peak_cut(P, kind, float(r), np.ones(1))[0] for r in ratios])
        assert np.allclose(city, fitted)
        # diminishing returns: each doubling of the ratio adds less than the one before
        gains = np.diff(city[1:])
        assert (gains > 0).all() and (np.diff(gains) < 0).all()
    # a responder cuts the ceiling at the peak, so the expected base-load cut is the fitted one
    n = 200_000
    log_rel = np.zeros((1, SPD))
    log_rel[0, 70:84] = np.log(2.0)
    prob = response_probability(P, np.ones(n), np.full(n, np.log(2.0)), np.zeros(n, dtype=bool), np.zeros(n, bool))
    responds = np.random.default_rng(0).random(n) < prob
    cut = curtail_fraction(P, responds, np.zeros(n, dtype=bool), np.repeat(log_rel, n, axis=0))
    assert abs(cut[:, 75].mean() - manual_peak_cut(P, "tou", 2.0, np.ones(1))[0]) < 0.003


def test_a_hems_is_its_own_term_with_the_fitted_share_and_manual_remainder():
    n = 200_000
    managed = np.ones(n, dtype=bool)
    log_ratio = np.full(n, np.log(5.8))
    request = np.ones(n, dtype=bool)
    prob = response_probability(P, np.ones(n), log_ratio, request, managed)
    manual = manual_peak_cut(P, "cpp", 5.8, np.ones(1))[0]
    assert np.allclose(prob, P.hems_manual_share * manual / P.manual_ceiling)
    responds = np.random.default_rng(1).random(n) < prob
    log_rel = np.zeros((n, SPD))
    log_rel[:, 72:80] = np.log(5.8)
    cut = curtail_fraction(P, responds, managed, log_rel)[:, 75].mean()
    fitted = peak_cut(P, "cpp", 5.8, True, np.ones(1))[0]
    assert abs(cut - fitted) < 0.005


def test_fatigue_lowers_the_response_to_the_tenth_request_below_the_first():
    n = 2000
    eng = Engagement(EngagementSpec(), n, np.random.default_rng(1))
    request = np.ones(n, dtype=bool)
    log_ratio = np.full(n, np.log(5.8))
    first = tenth = None
    for i in range(10):
        eng.start_day(i, np.zeros(n, dtype=int))
        p = response_probability(P, eng.responsiveness() * eng.fatigue, log_ratio, request, ~request)
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
