"""The behaviour model's levers behave as the studies say (shapes, signs, persistence), whatever the fit."""

from __future__ import annotations

import numpy as np

from agents.response.information import feedback_saving, peer_saving, target_saving
from agents.response.parameters import load_parameters
from agents.response.price import manual_peak_cut, peak_cut
from simulator.evidence.register import Design
from simulator.evidence.trial import simulate

P = load_parameters()
ONE = np.ones(1)


def test_price_response_grows_with_the_ratio_with_diminishing_returns_below_its_ceiling():
    ratios = np.array([1.5, 2, 3, 4, 6, 8, 12, 20])
    cut = np.array([manual_peak_cut(P, "cpp", r, ONE)[0] for r in ratios])
    per_unit = np.diff(cut) / np.diff(ratios)
    assert np.all(np.diff(cut) > 0) and np.all(np.diff(per_unit) < 0)
    assert cut[-1] < P.manual_ceiling
    assert manual_peak_cut(P, "tou", 1.0, ONE)[0] == 0


def test_enabling_technology_is_its_own_term():
    plain = peak_cut(P, "tou", 2.0, False, ONE)[0]
    automated = peak_cut(P, "tou", 2.0, True, ONE)[0]
    assert automated > plain
    assert automated >= P.hems_peak_share


def test_feedback_saves_more_the_more_often_it_comes_and_targets_need_it():
    savings = [feedback_saving(P, d, False) for d in (1, 7, 30, 60, 90)]
    assert feedback_saving(P, 0, True) > savings[0] and np.all(np.diff(savings) < 0)
    assert feedback_saving(P, 0, False) == 0
    assert target_saving(P, 20, 0, False) == 0 < target_saving(P, 20, 60, False) < target_saving(P, 20, 2, False)


def test_peer_reports_tell_heavy_users_more_and_light_users_boomerang_without_praise():
    rel = np.array([0.4, 1.0, 2.0])
    plain = peer_saving(P, rel, injunctive=False)
    praised = peer_saving(P, rel, injunctive=True)
    assert plain[2] > plain[1] > plain[0] and plain[0] < 0  # the light user is told it may use more
    assert praised[0] >= 0 and praised[2] == plain[2]


def test_trial_boomerang_of_light_users_disappears_with_an_injunctive_message():
    design = Design(peer_report_period_days=30, duration_days=365, peer_injunctive=False)
    light = simulate(P, design, "consumption_reduction_pct", "bottom_decile_usage")
    heavy = simulate(P, design, "consumption_reduction_pct", "top_decile_usage")
    praised = simulate(P, design.model_copy(update={"peer_injunctive": True}), "consumption_reduction_pct",
                       "bottom_decile_usage")  # fmt: skip
    assert light < 0 < heavy and praised >= 0


def test_a_continuing_treatment_does_not_decay_with_the_run_length():
    year = Design(feedback_period_days=30, duration_days=365)
    three = year.model_copy(update={"duration_days": 1095, "measure_from_day": 730})
    first = simulate(P, year.model_copy(update={"measure_from_day": 180}), "consumption_reduction_pct")
    third = simulate(P, three, "consumption_reduction_pct")
    assert third >= first * 0.98  # no fixed daily decay: the effect holds (or grows) while treatment continues


def test_after_the_treatment_stops_the_effect_decays_at_the_fitted_yearly_rate():
    design = Design(peer_report_period_days=30, duration_days=730, followup_days=365)
    decay = simulate(P, design, "annual_decay_pct")
    assert 100 * P.habit_decay_per_year - 5 < decay < 100 * P.habit_decay_per_year + 10
