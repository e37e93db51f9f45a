"""Home batteries (agents/batteries): state of charge within bounds, energy conserved, PV kept at home."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import CityModel
from simulator.scenario import scenario_from_dict
from tests.conftest import quickstart_dict


def _run(**batteries) -> CityModel:
    data = quickstart_dict(horizon_days=1)
    data["households"]["pv"] = {**data["households"].get("pv", {}), "share": 0.6}
    if batteries:
        data["batteries"] = batteries
    model = CityModel(scenario_from_dict(data))
    socs = []
    while model.running:
        model.step()
        socs.append(model.fleet["batteries"].soc_kwh.copy())
    model.socs = np.array(socs)
    return model


@pytest.mark.parametrize("control", ["self_consumption", "tariff_arbitrage"])
def test_state_of_charge_stays_within_capacity_and_energy_is_conserved(control):
    model = _run(share=1.0, control=control, capacity_kwh=5.0, power_kw=3.0, round_trip_efficiency=0.81)
    b = model.fleet["batteries"]
    assert b.rows.size > 0
    assert (model.socs >= -1e-9).all() and (model.socs <= b.capacity_kwh + 1e-9).all()
    start = b.capacity_kwh * 0.5
    np.testing.assert_allclose(b.soc_kwh, start + 0.9 * b.charged_kwh - b.discharged_kwh / 0.9, atol=1e-9)
    assert b.charged_kwh.sum() > 0 and b.discharged_kwh.sum() > 0
    d = model.recorder.district
    np.testing.assert_allclose(d["load_kw"] - d["pv_kw"] + d["battery_kw"], d["net_load_kw"], rtol=1e-9)


def test_self_consumption_keeps_pv_at_home():
    without, with_batteries = _run(), _run(share=1.0)
    exported = [m.recorder.household["export_kwh"].sum() for m in (without, with_batteries)]
    assert exported[1] < exported[0]


def test_no_battery_unless_the_scenario_asks():
    model = _run()
    assert model.fleet["batteries"].rows.size == 0
    assert "battery_kw" not in model.recorder.district
