"""Issue 5's pilot details: revenue-neutral UPGRID tariffs, buildings answering the hub like a HEMS."""

from __future__ import annotations

import numpy as np
import pytest

from market.tariff_design import revenue_eur
from simulator.model import CityModel
from simulator.scenario import load_scenario, scenario_from_dict
from simulator.tariff_neutral import baseline_use, design_tariffs, with_revenue_neutral_prices
from tests.conftest import SCENARIOS
from tests.simulator.test_market_link import tight_district


@pytest.fixture(scope="module")
def upgrid_ci():
    return load_scenario(SCENARIOS / "lisbon_upgrid.toml", overrides={"scale": 0.02})


def test_upgrid_tou_and_cpp_are_designed_revenue_neutral_to_the_cent(upgrid_ci):
    sc = upgrid_ci
    assert sc.baseline.revenue_neutral == ("bi_horario", "cpp")
    use = baseline_use(sc)
    designs = design_tariffs(sc, sc.baseline.revenue_neutral, use)
    kw = {"households": use.households, "days": use.days}
    current = revenue_eur(sc.tariffs["simples"], sc.times(), use.consumption_kwh, **kw)
    for name, d in designs.items():
        assert abs(d.new_revenue_eur - current) < 0.005, name
        assert d.factor != pytest.approx(1.0, abs=1e-6)  # the file's prices are shapes; the designer set the level
    cpp = designs["cpp"].prices_eur_per_kwh
    assert cpp["critical"] / cpp["fora_de_vazio"] == pytest.approx(0.60 / 0.16)  # the shape is kept


def test_the_designed_scenario_carries_the_prices_and_is_not_designed_twice(upgrid_ci):
    designed, designs = with_revenue_neutral_prices(upgrid_ci)
    assert designed.baseline.revenue_neutral == ()
    prices = designed.tariffs["bi_horario"].period_prices_eur_per_kwh()
    assert prices == pytest.approx(designs["bi_horario"].prices_eur_per_kwh)
    assert with_revenue_neutral_prices(designed)[0] is designed


def test_an_office_on_a_tight_substation_answers_part_of_a_flexibility_request():
    d = tight_district(hub={}).model_dump(mode="python")
    d["ev"]["share"] = 0.3
    d["buildings"] = [
        dict(name="Office", kind="office", annual_kwh=400_000, substation=0, hvac_share=0.6, setback_share=0.5)
    ]
    model = CityModel(scenario_from_dict(d))
    while model.running:
        model.step()
    link = model.market
    record = link.record()
    flex = record.requests[(record.requests["kind"] == "flexibility") & (record.requests["substation"] == 0)]
    activated = flex[flex["effective_s"].notna()]
    assert len(activated) > 0
    # the building shed HVAC power, and homes behind the same substation shifted load too: a part each
    assert link.bems.shifted_kwh[0] > 0
    homes = np.flatnonzero(model.population.substation == 0)
    assert link.hems.shifted_kwh[homes].sum() > 0
    assert record.buildings_shifted_kwh == pytest.approx(link.bems.shifted_kwh.sum())
    # what the building sheds in the window it pays back after it, with its pre-conditioning loss
    bems, loss = link.bems, model.tertiary.params.preheat_loss[0]
    paid_back_kwh = model.tertiary.shift_kw[:, 0].sum() * model.scenario.step_h  # flat tariff: no planned shift
    assert paid_back_kwh == pytest.approx(bems.shifted_kwh[0] * loss - bems.curtailed_kwh[0])
