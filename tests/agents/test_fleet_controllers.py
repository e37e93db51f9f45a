"""Vectorised controllers by dotted path: HEMS fleet, DSO and retailers; the shipped behaviour is each default."""

from __future__ import annotations

import numpy as np
import pytest

from agents.dso.control import CongestionControl, Decisions
from agents.hems.controller import CheapestStart, HemsController, HemsDay
from agents.hems.plan import DayPlan
from agents.retailers.controller import RetailerController
from simulator.errors import ControllerFailed, ScenarioError
from simulator.model import CityModel
from simulator.runner import run
from tests.conftest import small_scenario
from tests.simulator.test_market_link import tight_district

HERE = "tests.agents.test_fleet_controllers"


class UserStarts(HemsController):
    """A HEMS fleet that leaves every load where its user puts it (plans on a price-less day)."""

    def plan_day(self, day: HemsDay) -> DayPlan:
        flat = np.zeros_like(day.prices)
        return CheapestStart().plan_day(HemsDay(**{**day.__dict__, "prices": flat}))


class NeverAsks(CongestionControl):
    """A DSO that watches but never asks for flexibility nor declares an emergency."""

    def decide(self, now_s, measured_pct, forecast_pct, pct_per_kw) -> Decisions:
        return Decisions()


class FlatSignal(RetailerController):
    """Retailers that signal each tariff's daily mean price: no reason to move anything."""

    def price_signal(self, day: int, prices: np.ndarray) -> np.ndarray:
        return np.repeat(prices.mean(axis=1, keepdims=True), prices.shape[1], axis=1)


class BrokenSignal(RetailerController):
    def price_signal(self, day: int, prices: np.ndarray) -> np.ndarray:
        return prices[:, :3]


def _shifted_kwh(**top) -> float:
    model = CityModel(small_scenario(horizon_days=1, behaviour={"enabled": False}, **top))
    while model.running:
        model.step()
    return float(model.recorder.household["shifted_kwh"].sum())


def test_the_shipped_controllers_are_the_defaults():
    sc = small_scenario()
    assert sc.hems.fleet_controller == "agents.hems.controller:CheapestStart"
    assert sc.dso.controller == "agents.dso.control:CongestionControl"
    assert sc.retail.controller == "agents.retailers.controller:TariffPrices"


def test_a_hems_fleet_controller_named_in_the_scenario_plans_every_home():
    assert _shifted_kwh() > 0
    assert _shifted_kwh(hems={"fleet_controller": f"{HERE}:UserStarts"}) == 0


def test_a_retailer_price_signal_changes_what_hems_do_not_what_people_pay():
    assert _shifted_kwh(retail={"controller": f"{HERE}:FlatSignal"}) == 0


def test_a_dso_controller_named_in_the_scenario_decides_the_requests():
    shipped = run(tight_district(hub={}))
    quiet = run(tight_district(hub={}, controller=f"{HERE}:NeverAsks"))
    assert (shipped.requests["origin"] == "dso").sum() > (quiet.requests["origin"] == "dso").sum()
    assert quiet.requests["substation"].notna().sum() == 0  # no request about an area


def test_a_signal_of_the_wrong_shape_stops_the_run_with_a_message():
    model = CityModel(small_scenario(retail={"controller": f"{HERE}:BrokenSignal"}))
    with pytest.raises(ControllerFailed, match=r"BrokenSignal\.price_signal returned shape"):
        model.step()


@pytest.mark.parametrize(
    ("section", "key"), [("dso", "controller"), ("retail", "controller"), ("hems", "fleet_controller")]
)
def test_a_controller_of_the_wrong_kind_is_a_scenario_error(section, key):
    with pytest.raises(ScenarioError, match=rf"{section}\.{key}: .*is not a subclass"):
        small_scenario(**{section: {key: f"{HERE}:FlatSignal" if section != "retail" else f"{HERE}:NeverAsks"}})
