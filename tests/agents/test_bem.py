"""Building energy management: set-point shifts, self-consumption first, answering flexibility requests."""

from __future__ import annotations

import numpy as np
import pytest

from agents.buildings.bem import BuildingParams, ChargingSessions, answer_request, charge_cars, hvac_shift_kw


def _params(n=2, managed=True, preheat_steps=4):
    return BuildingParams(
        hvac_share=np.full(n, 0.4), setback_share=np.full(n, 0.5), preheat_steps=np.full(n, preheat_steps),
        preheat_loss=np.full(n, 0.1), feed_in_eur_per_kwh=np.full(n, 0.05), managed=np.full(n, managed),
    )  # fmt: skip


def _tou(steps=96):
    price = np.full((steps, 2), 0.10)
    price[72:82] = 0.30  # 18:00–20:30
    return price


def test_hvac_is_shed_in_the_dear_period_and_made_up_before_it_with_the_loss():
    base = np.full((96, 2), 100.0)
    shift = hvac_shift_kw(base, _tou(), _params())
    assert shift[72:82] == pytest.approx(-20.0)  # 100 kW × 0.4 HVAC × 0.5 set-back
    assert (shift[68:72] > 0).all() and (shift[:68] == 0).all() and (shift[82:] == 0).all()
    assert shift.sum(axis=0) == pytest.approx(200.0 * 0.1)  # only the loss is extra energy


def test_no_shift_without_a_price_difference_or_without_a_bem():
    base = np.full((96, 2), 100.0)
    assert not hvac_shift_kw(base, np.full((96, 2), 0.2), _params()).any()
    assert not hvac_shift_kw(base, _tou(), _params(managed=False)).any()


def test_cars_charge_on_own_pv_surplus_first():
    surplus = np.zeros((96, 1))
    surplus[48:56] = 30.0  # noon
    sessions = ChargingSessions(np.array([0]), np.array([34]), np.array([70]), np.array([20.0]), np.array([11.0]))
    smart, dumb = np.zeros((96, 1)), np.zeros((96, 1))
    charge_cars(smart, sessions, np.full((96, 1), 0.2), surplus, _params(1), 0.25)
    charge_cars(dumb, sessions, np.full((96, 1), 0.2), surplus, _params(1, managed=False), 0.25)
    assert smart.sum() * 0.25 == pytest.approx(20.0) and dumb.sum() * 0.25 == pytest.approx(20.0)
    assert smart[48:56].sum() * 0.25 == pytest.approx(20.0) and dumb[34:42].sum() > 0


def test_answering_a_request_commits_what_hvac_can_shed_and_returns_the_energy_later():
    base = np.full((96, 2), 100.0)
    shift = np.zeros((96, 2))
    committed = answer_request(base, shift, _params(), 40, 44, requested_kw=30.0)
    assert committed.sum() == pytest.approx(30.0) and (committed <= 20.0 + 1e-9).all()
    assert shift[40:44].sum() == pytest.approx(-120.0) and shift[44:48].sum() == pytest.approx(132.0)
    too_much = answer_request(base, np.zeros((96, 2)), _params(), 40, 44, requested_kw=1000.0)
    assert too_much.sum() == pytest.approx(40.0)
