"""The city run's information levers are the register-fitted model: a display district saves what the trial says."""

from __future__ import annotations

from agents.response.parameters import load_parameters
from simulator.evidence.register import Design
from simulator.evidence.trial import simulate
from simulator.runner import Simulation
from simulator.scenario import scenario_from_dict
from tests.conftest import quickstart_dict


def test_a_district_with_displays_saves_what_the_fitted_display_lever_gives():
    data = quickstart_dict(horizon_days=28, step_minutes=60)
    data["grid"].update(substations=1, households_per_substation=60)
    data["households"].update(hems_share=0.0)
    data["ev"] = {"share": 0.0}
    data["retailers"] = [{"name": "r", "customer_share": 1.0, "tariff": "simples"}]
    data["engagement"] = {"feedback": {"display_share": 1.0}}
    sim = Simulation(scenario_from_dict(data))
    while not sim.done:
        sim.step()
    run = sim.model.recorder.household["energy_kwh"].sum()
    base = sim.baseline.recorder.household["energy_kwh"].sum()
    city_pct = 100 * (1 - run / base)
    trial_pct = simulate(load_parameters(), Design(in_home_display=True, duration_days=28), "consumption_reduction_pct")
    assert city_pct > 0
    assert abs(city_pct - trial_pct) < 1.5, (city_pct, trial_pct)
