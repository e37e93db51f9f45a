"""Issue 5's pilot details: revenue-neutral UPGRID tariffs, buildings answering the hub like a HEMS."""

from __future__ import annotations

import numpy as np
import pytest

from agents.households.population import _ev_from_day, draw_population
from market.tariff_design import revenue_eur
from simulator.compare.tariff_neutral import baseline_use, design_tariffs, with_revenue_neutral_prices
from simulator.model import CityModel
from simulator.profiles import annual_full_load_hours, simbench_load_shapes
from simulator.scenario import load_scenario, scenario_from_dict
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
    current = revenue_eur(sc.tariffs["simples"], use.times, use.consumption_kwh, **kw)
    assert abs(designs["bi_horario"].new_revenue_eur - current) < 0.005  # ToU: on the run's baseline
    # CPP: over its whole event season (its events are the season's), on the DSO's season forecast
    assert designs["cpp"].current_revenue_eur > 10 * current
    for name, d in designs.items():
        assert abs(d.new_revenue_eur - d.current_revenue_eur) < 0.005, name
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


def test_electric_heating_follows_the_simbench_heat_pump_shapes_and_its_annual_energy():
    sc = load_scenario(SCENARIOS / "grenoble_cityzen.toml", overrides={"scale": 0.2})
    heating = sc.households.electric_heating
    flh = annual_full_load_hours(simbench_load_shapes(heating.profiles))
    pop = draw_population(sc, np.zeros(4000, dtype=np.int64), np.random.default_rng(3), flh)
    assert (pop.heating_kw > 0).mean() == pytest.approx(heating.share, abs=0.03)
    heated = pop.heating_kw > 0
    assert pop.heating_kw[heated] * flh[pop.heating_profile[heated]] == pytest.approx(heating.annual_kwh)
    without = sc.model_copy(
        update={
            "households": sc.households.model_copy(
                update={"electric_heating": heating.model_copy(update={"share": 0.0})}
            )
        }
    )
    base = CityModel(without, demand_response=False)
    heated_model = CityModel(sc, demand_response=False)
    for m in (base, heated_model):
        for _ in range(sc.steps_per_day):
            m.step()
    evening = slice(19 * 4, 21 * 4)  # 19:00–21:00
    added = heated_model.recorder.district["load_kw"] - base.recorder.district["load_kw"]
    assert added[evening].mean() > added[: 6 * 4].mean()  # heating adds most in the evening, not at night


def test_ev_uptake_grows_month_by_month_as_the_scenario_says():
    draw = np.random.default_rng(1).random(200_000)
    day = _ev_from_day(draw, 0.1, 0.026, 365.25)
    assert (day == 0).mean() == pytest.approx(0.1, abs=0.003)
    assert np.isfinite(day).mean() == pytest.approx(0.1 * 1.026**12, abs=0.003)  # ≈ +36 % in a year (seed 000)
    months = np.arange(13) * 365.25 / 12
    share = [(day <= t).mean() for t in months]
    assert np.all(np.diff(share) > 0)
    assert np.array_equal(_ev_from_day(draw, 0.1, 0.0, 365.25) == 0, draw < 0.1)  # no growth: as before


def test_the_sharing_cities_scenario_grows_ev_uptake_over_the_run():
    sc = load_scenario(SCENARIOS / "lisbon_sharing_cities.toml", overrides={"scale": 0.1})
    assert sc.ev.share_growth_per_month > 0
    model = CityModel(sc.model_copy(update={"horizon_days": 60.0}), demand_response=False)
    pop = model.population
    assert (pop.ev_from_day == 0).sum() < np.isfinite(pop.ev_from_day).sum()  # some join during the run
