"""A student's HEMS: a `Hems` subclass named in the scenario decides for its homes; the rest stay vectorised."""

from __future__ import annotations

import numpy as np
import pytest

from agents.hems.agent import Hems, HomePlan
from agents.households.agent import Household
from simulator.errors import ControllerFailed, ScenarioError
from simulator.model import CityModel
from simulator.runner import Simulation
from tests.conftest import small_scenario

HERE = "tests.agents.test_hems_controller"


class LateHems(Hems):
    """Starts every appliance cycle as late as the user's window allows; cars charge on arrival."""

    def plan_day(self, prices: np.ndarray) -> HomePlan:
        return HomePlan(tuple(c.latest_start for c in self.cycles))


class EarlyBirdHems(Hems):
    """Breaks the rules: asks for a start before the user has loaded the machine."""

    def plan_day(self, prices: np.ndarray) -> HomePlan:
        return HomePlan(tuple(c.earliest - 1 for c in self.cycles))


class PlainHems(Hems):
    """The shipped rule, but per agent (the slow path), for comparison."""

    def plan_day(self, prices: np.ndarray) -> HomePlan:
        return super().plan_day(prices)


def _late_expected_kwh(agent: Hems, step_h: float) -> float:
    return sum(min(c.latest_start - c.earliest, c.duration) * c.power_kw * step_h for c in agent.cycles)


def test_a_hems_subclass_named_in_the_scenario_decides_for_its_homes_and_shows_in_the_results():
    sc = small_scenario(horizon_days=1, hems={"controller": f"{HERE}:LateHems"})
    sim = Simulation(sc)
    result = sim.run()
    model, agents = sim.model, result.agents
    late = [a for a in model.hems if isinstance(a, LateHems)]
    assert late and len(late) == int(agents["has_hems"].sum())
    assert (agents.loc[agents["has_hems"], "hems_controller"] == "LateHems").all()
    assert (agents.loc[~agents["has_hems"], "hems_controller"] == "").all()
    # its decision: every cycle at the latest start; the energy moved is exactly that (one day: one plan)
    moved = agents.set_index("row")["shifted_kwh"]
    for agent in late:
        assert moved[agent.row] == pytest.approx(_late_expected_kwh(agent, sc.step_h))
    assert sum(_late_expected_kwh(a, sc.step_h) for a in late) > 0


def test_with_a_share_the_other_hems_stay_on_the_vectorised_plan():
    sc = small_scenario(horizon_days=1, hems={"controller": f"{HERE}:LateHems", "controller_share": 0.5})
    model = CityModel(sc)
    kinds = {type(a) for a in model.hems}
    assert kinds == {Hems, LateHems}
    assert model.fleet["hems"].per_agent_rows.sum() == sum(isinstance(a, LateHems) for a in model.hems)


def test_the_per_agent_shipped_rule_moves_about_as_much_energy_as_the_vectorised_one():
    """Same rule, two paths: the plain-Python agent and the batch differ only in tie-breaking and declarations."""
    moved = {}
    for name, hems in (("vectorised", {}), ("per_agent", {"controller": f"{HERE}:PlainHems"})):
        model = CityModel(small_scenario(horizon_days=1, hems=hems, behaviour={"enabled": False}))
        while model.running:
            model.step()
        moved[name] = model.recorder.household["shifted_kwh"][model.population.has_hems].sum()
    assert moved["per_agent"] == pytest.approx(moved["vectorised"], rel=0.1)


def test_a_controller_breaking_the_window_stops_the_run_with_a_message_naming_it():
    model = CityModel(small_scenario(horizon_days=1, hems={"controller": f"{HERE}:EarlyBirdHems"}))
    with pytest.raises(ControllerFailed, match=r"EarlyBirdHems\.plan_day \(household row \d+\): \w+ starts at"):
        model.step()


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("tests.agents.no_such_module:MyHems", "cannot import module 'tests.agents.no_such_module'"),
        (f"{HERE}:Missing", "has no 'Missing'"),
        ("numpy:ndarray", "is not a subclass of Hems"),
        ("not a path", "is not a dotted path"),
    ],
)
def test_a_controller_that_does_not_resolve_is_a_scenario_error_naming_the_key(path, says):
    with pytest.raises(ScenarioError) as err:
        small_scenario(hems={"controller": path})
    assert "hems.controller" in str(err.value) and says in str(err.value)


def test_a_controller_file_next_to_the_scenario_is_found(tmp_path):
    from simulator.scenario import load_scenario, scenario_to_toml

    (tmp_path / "student_hems.py").write_text(
        "from agents.hems.agent import Hems, HomePlan\n\n\n"
        "class MyHems(Hems):\n"
        "    def plan_day(self, prices):\n"
        "        return HomePlan(tuple(c.earliest for c in self.cycles))\n"
    )
    path = tmp_path / "s.toml"
    text = scenario_to_toml(small_scenario()).replace('\ncontroller = ""', '\ncontroller = "student_hems:MyHems"')
    path.write_text(text)
    model = CityModel(load_scenario(path))
    assert {type(a).__name__ for a in model.hems} == {"MyHems"}


def test_mesa_agent_sets_read_the_fleet_arrays():
    model = CityModel(small_scenario(horizon_days=1))
    for _ in range(40):
        model.step()
    homes = model.fleet["households"]
    households = model.agents_by_type[Household]
    assert len(households) == homes.n
    np.testing.assert_array_equal(households.get("bill_eur"), homes.bill_eur)
    np.testing.assert_array_equal(households.get("load_kw"), homes.load_kw)
    assert households.agg("bill_eur", sum) == pytest.approx(homes.bill_eur.sum())
    with_pv = model.agents.select(lambda a: isinstance(a, Household) and a.pv_kwp > 0)
    assert len(with_pv) == int((homes.population.pv_kwp > 0).sum())
    assert len(model.agents_by_type[Hems]) == int(homes.population.has_hems.sum())
