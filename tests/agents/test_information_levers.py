"""Information levers in the city run: own recent use drives the peer report, effects persist without a fixed decay."""

from __future__ import annotations

import numpy as np

from agents.households.engagement import Engagement, EngagementSpec, FeedbackSpec, PeerComparisonSpec

N = 2000


def _run(spec: EngagementSpec, days: int, use: np.ndarray, seed: int = 5) -> tuple[Engagement, list[np.ndarray]]:
    eng = Engagement(spec, len(use), np.random.default_rng(seed), daily_kwh=use)
    group, none = np.zeros(len(use), dtype=int), np.zeros(len(use), dtype=bool)
    savings = []
    for day in range(days):
        eng.start_day(day, group)
        s = eng.saving_fraction()
        savings.append(s)
        eng.end_day(none, none, np.zeros(len(use)), use * (1 - s))
    return eng, savings


def test_engagement_does_not_decay_on_quiet_days():
    """Regression: the level used to lose 1 % of its gap to the floor every day, whatever the treatment."""
    eng = Engagement(EngagementSpec(), N, np.random.default_rng(1))
    start = eng.level.mean()
    none = np.zeros(N, dtype=bool)
    for day in range(100):
        eng.start_day(day, np.zeros(N, dtype=int))
        eng.end_day(none, none, np.zeros(N))
    assert eng.level.mean() == start


def test_peer_reports_follow_the_homes_own_use_heavy_users_save_light_users_boomerang():
    use = np.where(np.arange(N) < N // 2, 5.0, 20.0)  # light and heavy homes in one comparison group
    spec = EngagementSpec(peer_comparison=PeerComparisonSpec(enabled=True, injunctive=False))
    _, savings = _run(spec, 60, use)
    light, heavy = savings[-1][: N // 2].mean(), savings[-1][N // 2 :].mean()
    assert heavy > 0 > light
    praised = EngagementSpec(peer_comparison=PeerComparisonSpec(enabled=True, injunctive=True))
    assert _run(praised, 60, use)[1][-1][: N // 2].min() >= 0


def test_statements_keep_their_effect_while_they_continue_and_it_decays_slowly_after_they_stop():
    use = np.full(N, 10.0)
    steady = EngagementSpec(feedback=FeedbackSpec(statement_period_days=30))
    _, savings = _run(steady, 720, use)
    assert np.mean(savings[690:720]) >= 0.97 * np.mean(savings[330:360]) > 0  # no fixed decay with run length
    stopped = EngagementSpec(feedback=FeedbackSpec(statement_period_days=30, until_day=360))
    _, after = _run(stopped, 720, use)
    kept = np.mean(after[690:720]) / np.mean(after[330:360])
    assert 0.5 < kept < 1.0  # habit decays by the fitted yearly rate, not to zero at once


def test_a_display_saves_more_than_monthly_statements():
    use = np.full(N, 10.0)
    display = _run(EngagementSpec(feedback=FeedbackSpec(display_share=1.0)), 120, use)[1]
    monthly = _run(EngagementSpec(feedback=FeedbackSpec(statement_period_days=30)), 120, use)[1]
    assert np.mean(display[90:]) > np.mean(monthly[90:]) > 0
