"""The price response splits its cut into energy not consumed (conserved) and energy moved to the cheapest hours.

Trials publish a peak cut and a smaller overall effect: most of a peak cut is either moved or skipped, and
which one decides "energy saved" and the bills. Regression tests for issue 11: before, the whole cut vanished.
"""

from __future__ import annotations

import numpy as np
import pytest

import agents.households.response as response_module
from agents.households.behaviour import cheapest_steps, conserved_fraction, curtail_fraction
from agents.households.response import DayResponse
from agents.response.parameters import load_parameters
from simulator.evidence.register import Design
from simulator.evidence.trial import simulate
from simulator.kpi.calibration import calibration_scenario
from simulator.runner import run

P = load_parameters()
SPD = 24


def _bi_horario_day() -> np.ndarray:
    """One tariff row: dear 8-22 h (0.2), cheap otherwise (0.1)."""
    prices = np.full(SPD, 0.1)
    prices[8:22] = 0.2
    return prices[None, :]


def test_moved_load_is_drawn_in_the_cheapest_steps_and_only_the_conserved_part_is_lost():
    rng = np.random.default_rng(3)
    n = 40
    base = rng.uniform(0.2, 1.5, (SPD, n))
    prices = _bi_horario_day()
    rel = np.log(prices / prices.min())[np.zeros(n, dtype=int)]
    p = P.model_copy(update={"manual_conserved_share": 0.3, "hems_conserved_share": 0.0})
    responds, managed = np.arange(n) % 2 == 0, np.arange(n) % 3 == 0
    curtail = curtail_fraction(p, responds, managed, rel).T
    conserve = conserved_fraction(p, responds, managed, rel).T
    cheap = cheapest_steps(prices)[np.zeros(n, dtype=int)].T
    day = DayResponse(responds, np.zeros(n, dtype=bool), curtail, conserve, cheap, np.zeros(n))
    after, moved = day.apply(base, step_h=1.0)

    cut = (base * curtail).sum(axis=0)
    lost = (base * conserve).sum(axis=0)
    assert (cut > 0).any()
    assert base.sum(axis=0) - after.sum(axis=0) == pytest.approx(lost, abs=1e-9)  # energy balance per home
    assert moved == pytest.approx(cut - lost, abs=1e-9)
    dear, cheap_rows = prices[0] > 0.1, prices[0] == 0.1
    assert after[cheap_rows].sum(axis=0) - base[cheap_rows].sum(axis=0) == pytest.approx(moved, abs=1e-9)
    assert np.all(after[dear] <= base[dear] + 1e-12)
    # a HEMS that only defers (φ_h = 0) conserves nothing: a HEMS-only home loses no energy
    hems_only = managed & ~responds
    assert lost[hems_only] == pytest.approx(0.0, abs=1e-12) and (moved[hems_only] > 0).all()
    # moved energy is billed at the cheap price: the bill falls by the price difference, not the whole cut
    bill = lambda kw: (kw * prices[0][:, None]).sum(axis=0)  # noqa: E731
    assert bill(base) - bill(after) == pytest.approx(0.2 * cut - 0.1 * moved, rel=1e-9, abs=1e-9)


def test_a_flat_day_has_every_step_cheapest_and_moves_nothing():
    n = 5
    flat = np.full((1, SPD), 0.15)
    assert cheapest_steps(flat).all()
    rel = np.zeros((n, SPD))
    assert not conserved_fraction(P, np.ones(n, dtype=bool), np.ones(n, dtype=bool), rel).any()


def test_the_trial_total_falls_by_the_conserved_share_of_the_peak_cut_over_the_peak_window():
    """The evidence trial (what the fit sees): overall drop = φ × peak cut × peak window share on priced days."""
    design = Design(tariff="tou", peak_offpeak_ratio=3.0, peak_hours=6, duration_days=70, ratio_basis="test")
    peak = simulate(P, design, "peak_reduction_pct")
    for phi in (0.0, 0.4, 1.0):
        p = P.model_copy(update={"manual_conserved_share": phi})
        total = simulate(p, design, "consumption_reduction_pct")
        assert total == pytest.approx(phi * peak * 6 / 24 * 50 / 70, rel=0.03, abs=1e-9)


@pytest.fixture(scope="module")
def tou_run_with_half_conserved():
    """A pure bi-horário ToU district (no engagement levers), all homes with a HEMS, φ = 0.5 and φ_h = 0."""
    p = P.model_copy(update={"manual_conserved_share": 0.5, "hems_conserved_share": 0.0})
    original = response_module.load_parameters
    response_module.load_parameters = lambda: p
    try:
        return run(calibration_scenario("tou", 2.0, True, days=2))
    finally:
        response_module.load_parameters = original


def test_under_a_pure_tou_only_the_conserved_part_of_the_cut_is_saved(tou_run_with_half_conserved):
    result = tou_run_with_half_conserved
    k, agents = result.kpis, result.agents
    cut, moved, saved = agents["curtailed_kwh"].sum(), agents["moved_kwh"].sum(), agents["saved_kwh"].sum()
    assert cut > 0 and moved > 0.5 * cut  # the HEMS moves all it sheds, people half of theirs
    assert saved == pytest.approx(cut - moved, rel=1e-9)  # no engagement lever: saved = conserved
    assert k["household_base_moved_kwh"] == pytest.approx(moved)
    # the meters see it: consumption avoided against the baseline is the conserved part, the moved part is drawn
    assert k["household_energy_saved_kwh"] == pytest.approx(saved, rel=0.02, abs=1.0)
    assert k["household_energy_saved_kwh"] < k["energy_curtailed_kwh"] - 0.5 * moved


def test_the_combined_evaluation_gives_the_cut_and_its_conserved_part():
    from agents.households.behaviour import cut_and_conserved

    rng = np.random.default_rng(5)
    n = 30
    rel = np.log(np.where(np.arange(SPD) % 24 >= 8, 2.0, 1.0))[None, :].repeat(n, 0)
    responds, managed = rng.random(n) < 0.5, rng.random(n) < 0.5
    p = P.model_copy(update={"manual_conserved_share": 0.4, "hems_conserved_share": 0.1})
    curtail, conserve = cut_and_conserved(p, responds, managed, rel)
    assert np.allclose(curtail, curtail_fraction(p, responds, managed, rel))
    assert np.allclose(conserve, conserved_fraction(p, responds, managed, rel))
    assert np.all(conserve <= curtail + 1e-15)
