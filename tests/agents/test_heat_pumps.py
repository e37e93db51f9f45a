"""Heat pumps (agents/heat_pumps): the house's energy balance, comfort, HEMS pre-heating, determinism, schema."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.heat_pumps import house
from simulator.errors import ScenarioError
from simulator.model import CityModel
from simulator.scenario import scenario_from_dict
from tests.conftest import quickstart_dict


def _run(days: float = 1, hems_share: float | None = None, **heat_pumps) -> CityModel:
    data = quickstart_dict(horizon_days=days)
    if hems_share is not None:
        data["households"] = {**data["households"], "hems_share": hems_share}
    if heat_pumps:
        data["heat_pumps"] = heat_pumps
    model = CityModel(scenario_from_dict(data))
    heat, indoor = [], []
    while model.running:
        model.step()
        heat.append(model.fleet["heat_pumps"].heat_kw.copy())
        indoor.append(model.fleet["heat_pumps"].indoor_c.copy())
    model.heat, model.indoor = np.array(heat), np.array(indoor)
    return model


def test_heat_in_equals_losses_plus_stored_and_matches_a_fine_euler_integration():
    model = _run(share=1.0)
    hp = model.fleet["heat_pumps"]
    assert hp.rows.size > 0 and hp.heat_kwh.sum() > 0
    start = (hp.spec.comfort_min_c + hp.spec.comfort_max_c) / 2
    np.testing.assert_allclose(hp.heat_kwh, hp.lost_kwh + hp.c * (hp.indoor_c - start), rtol=1e-9)
    # the same house stepped independently (explicit Euler, 600 sub-steps a step) follows the same temperatures
    i, h, sub = 0, model.scenario.step_h, 600
    t = start
    for k, q in enumerate(model.heat[:, i]):
        for _ in range(sub):
            t += (q - (t - hp.outdoor_c[k]) / hp.r[i]) / hp.c[i] * h / sub
        assert t == pytest.approx(model.indoor[k, i], abs=1e-3)


def test_the_thermostat_keeps_every_home_in_the_comfort_band():
    model = _run(control="thermostat", share=1.0)
    assert (model.indoor >= 19.0 - 1e-6).all() and (model.indoor <= 21.0 + 1e-6).all()
    d = model.recorder.district
    assert (d["homes_outside_comfort"] == 0).all()
    assert d["heat_pump_kw"].min() > 0  # a January day: every house needs heat
    np.testing.assert_allclose(d["load_kw"] - d["pv_kw"], d["net_load_kw"], rtol=1e-9)


def test_hems_preheating_moves_heat_pump_energy_out_of_the_dear_hours_and_keeps_comfort():
    runs = {c: _run(days=2, hems_share=1.0, share=1.0, control=c) for c in ("thermostat", "hems_preheat")}
    energy = {}
    for control, model in runs.items():
        price = model.prices[model.tariff_names.index("bi_horario"), : model.scenario.n_steps]
        dear = price == price.max()
        kw = model.recorder.district["heat_pump_kw"]
        energy[control] = kw[dear].sum() * model.scenario.step_h
        assert (model.recorder.district["homes_outside_comfort"] == 0).all()
    assert energy["hems_preheat"] < 0.85 * energy["thermostat"]
    assert runs["hems_preheat"].indoor.max() > 20.9  # the houses were pre-heated toward the top of the band


def test_a_seeded_run_is_repeated_exactly():
    a, b = _run(share=0.5), _run(share=0.5)
    np.testing.assert_array_equal(a.fleet["heat_pumps"].rows, b.fleet["heat_pumps"].rows)
    np.testing.assert_array_equal(a.indoor, b.indoor)
    np.testing.assert_array_equal(a.recorder.district["heat_pump_kw"], b.recorder.district["heat_pump_kw"])


def test_no_heat_pump_unless_the_scenario_asks():
    model = _run()
    assert model.fleet["heat_pumps"].rows.size == 0
    assert "heat_pump_kw" not in model.recorder.district
    assert model.fleet["heat_pumps"].totals() == {}


def test_cop_follows_the_air_source_fit_and_falls_in_the_cold():
    cop = house.cop(35.0, np.array([10.0, 0.0, -10.0]))
    assert cop[0] > cop[1] > cop[2] > 1
    assert cop[1] == pytest.approx(6.08 - 0.09 * 35 + 0.0005 * 35**2)


@pytest.mark.parametrize(
    ("key", "value"),
    [("resistance_k_per_kw", 0.0), ("capacitance_kwh_per_k", -1.0), ("share", 1.5), ("comfort_max_c", 18.0),
     ("supply_c", 200.0), ("design_outdoor_c", 25.0), ("outdoor_monthly_c", [5.0] * 11)],
)  # fmt: skip
def test_out_of_range_values_name_the_key(key, value):
    with pytest.raises(ScenarioError, match="heat_pumps"):
        scenario_from_dict(quickstart_dict(heat_pumps={"share": 0.5, key: value}))


@settings(max_examples=40, deadline=None)
@given(
    key=st.sampled_from(["resistance_k_per_kw", "capacitance_kwh_per_k", "spread", "preheat_h", "comfort_min_c"]),
    value=st.floats(allow_nan=True, allow_infinity=True),
)
def test_any_number_is_either_a_physical_value_or_a_clear_error(key, value):
    try:
        spec = scenario_from_dict(quickstart_dict(heat_pumps={key: value})).heat_pumps
    except ScenarioError as exc:
        assert "heat_pumps" in str(exc)
        return
    got = getattr(spec, key)
    assert math.isfinite(got) and got >= 0
