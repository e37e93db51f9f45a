"""A HEMS moves only the loads its customer declared, within the declared delay, and users override it."""

from __future__ import annotations

import numpy as np
import pytest

from agents.evs.sessions import Sessions
from agents.hems.plan import plan_day
from agents.hems.spec import LOADS, HemsControl, HemsSpec
from agents.households.loads import LoadBook
from agents.households.routines import Cycles
from agents.households.spec import APPLIANCES

SPD = 96
STEP_H = 0.25
EVENING = 76  # 19:00, inside the dear period 08:00–22:00


def _prices():
    hour = (np.arange(2 * SPD) % SPD) * STEP_H
    return np.where((hour >= 22) | (hour < 8), 0.10, 0.20)[None, :]


def _cycles(n):
    """One washing-machine cycle per household loaded at 19:00 with a 12-hour user window."""
    rows = np.arange(n)
    return Cycles(rows, np.zeros(n, dtype=np.int64), np.full(n, EVENING), np.full(n, EVENING + 42),
                  np.full(n, 6), np.full(n, 0.8))  # fmt: skip


def _no_sessions():
    empty = np.zeros(0, dtype=np.int64)
    return Sessions(empty, empty, empty, np.zeros(0), np.zeros(0))


def _control(n, declared=True, delay_h=12.0, override=0.0, event_override=0.0):
    spec = HemsSpec(
        declared_share=dict.fromkeys(LOADS, 1.0 if declared else 0.0),
        max_delay_h=dict.fromkeys(APPLIANCES, delay_h),
        override_probability=override,
        event_override_probability=event_override,
    )
    return HemsControl.draw(spec, np.ones(n, dtype=bool), np.random.default_rng(0), STEP_H)


def _plan(control, request=None, n=200, seed=1):
    book = LoadBook(n, SPD)
    managed = np.ones(n, dtype=bool)
    tariff = np.zeros(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    plan = plan_day(book, _cycles(n), _no_sessions(), managed, _prices(), tariff, STEP_H, rng,
                    control=control, request=request)  # fmt: skip
    return plan.cycle_start, plan.overrides


def test_undeclared_loads_stay_where_the_user_starts_them():
    starts, _ = _plan(_control(200, declared=False))
    assert (starts == EVENING).all()


def test_a_hems_delays_a_load_no_longer_than_its_customer_allows():
    starts, _ = _plan(_control(200, delay_h=12.0))
    assert (starts >= 88).all()  # every cycle moved to 22:00 or later
    short, _ = _plan(_control(200, delay_h=2.0))
    assert (short == EVENING + 8).all()  # 2 h is all it may wait: 21:00, half the cycle in the cheap night


@pytest.mark.parametrize(("asked", "expected"), [(False, 0.1), (True, 0.75)])
def test_users_override_more_often_on_event_days(asked, expected):
    n = 4000
    starts, overridden = _plan(_control(n, override=0.1, event_override=0.75), np.full(n, asked), n=n)
    assert overridden.mean() == pytest.approx(expected, abs=0.03)
    assert (starts[overridden > 0] == EVENING).all()


def test_unknown_loads_are_refused_with_the_allowed_names():
    with pytest.raises(ValueError, match="unknown load"):
        HemsSpec(declared_share={"sauna": 0.5})


def _hems_warnings(**behaviour_hems):
    from simulator.model import CityModel
    from simulator.scenario import scenario_from_dict
    from tests.conftest import quickstart_dict

    data = quickstart_dict(horizon_days=1)
    data["grid"] = {**data["grid"], "substations": 1, "households_per_substation": 30}
    if behaviour_hems:
        data["behaviour"] = {**data.get("behaviour", {}), "hems": behaviour_hems}
    model = CityModel(scenario_from_dict(data), demand_response=False)
    return [w for w in model.fleet["hems"].warnings if w.startswith("hems:")], model


def test_a_run_with_hems_homes_warns_that_the_declarations_are_assumptions():
    # no trial figure for the share of customers who declare each appliance: the defaults are assumptions,
    # and a figure without a source must come with a warning in the output
    warnings, model = _hems_warnings()
    assert model.population.has_hems.any()
    assert len(warnings) == 1
    assert "declared_share" in warnings[0] and "assumption" in warnings[0] and "dryer 0.7" in warnings[0]


def test_declarations_set_from_a_pilot_silence_the_warning():
    warnings, _ = _hems_warnings(
        declared_share=dict.fromkeys(LOADS, 0.8), max_delay_h=dict.fromkeys(APPLIANCES, 8.0), min_saving_eur=0.05
    )
    assert warnings == []
