"""Revenue-neutral prices for a scenario's own tariffs, designed on its baseline before the run.

UPGRID's dynamic network tariffs (ToU and CPP) were priced revenue-neutral (seed 001): on the households'
baseline consumption they recover what the current flat tariff recovers. A scenario lists the tariffs to
design in `baseline.revenue_neutral`; `with_revenue_neutral_prices` steps the counterfactual baseline once,
scales each listed tariff's price shape with `market.tariff_design`, and returns the scenario with the
designed prices (what the run uses and what its results' `scenario.toml` records).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from agents.dso.cpp_events import pick_events
from market.errors import MarketError
from market.tariff_design import RevenueNeutralDesign, Tariff, design_revenue_neutral
from market.tariffs import CppTariff
from simulator.cpp_season import HomeScales, season_consumption_kwh, season_forecast
from simulator.errors import CityflexError
from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.scenario import Scenario, scenario_from_dict


@dataclass(frozen=True)
class BaselineUse:
    """The baseline's metered consumption per step (summed over households) and the DSO's forecast."""

    consumption_kwh: np.ndarray
    times: pd.DatetimeIndex  # the steps of `consumption_kwh`: the horizon and the planned tail after it
    homes: HomeScales  # what the DSO's season forecast needs
    households: int
    days: int


def baseline_use(scenario: Scenario) -> BaselineUse:
    """Step the counterfactual baseline once to measure what its households import in each step.

    The flexible energy its households planned past the last step (billed at those slots' prices,
    `simulator.after_horizon`) is added as steps after the horizon, so the design balances what is billed.
    """
    model = CityModel(scenario, demand_response=False)
    imported = np.zeros(scenario.n_steps)
    while model.running:
        k = model.steps
        model.step()
        homes = model.fleet["households"]
        imported[k] = np.maximum(homes.load_kw - homes.pv_kw, 0.0).sum() * scenario.step_h
    spd = scenario.steps_per_day
    last_in_day = (scenario.n_steps - 1) % spd
    tail = (model.book.appliance_kw[last_in_day + 1 :] + model.book.ev_kw[last_in_day + 1 :]).sum(axis=1)
    times = model.extended_times[: scenario.n_steps + len(tail)]
    days = -(-scenario.n_steps // spd)
    release_model(model)
    return BaselineUse(
        np.concatenate([imported, tail * scenario.step_h]), times, model.home_scales, model.population.n, days
    )


def design_tariffs(scenario: Scenario, names: tuple[str, ...], use: BaselineUse) -> dict[str, RevenueNeutralDesign]:
    """Each named tariff of the scenario priced revenue-neutral against its baseline tariff on `use`."""
    designs = {}
    for name in names:
        try:
            designs[name] = design_one(scenario, scenario.tariffs[name], use, name)
        except MarketError as exc:
            raise CityflexError(f"baseline.revenue_neutral: tariff {name!r}: {exc}") from exc
    return designs


def design_one(scenario: Scenario, tariff: Tariff, use: BaselineUse, name: str) -> RevenueNeutralDesign:
    """`tariff` (named `name` in `scenario`) priced revenue-neutral against the scenario's baseline tariff.

    ToU and dynamic tariffs balance on the baseline run's consumption; a CPP tariff balances over its
    whole event season (its events are a season's, not a week's), on the season forecast.
    """
    current = scenario.tariffs[scenario.baseline.tariff]
    if not isinstance(tariff, CppTariff):
        return design_revenue_neutral(
            current, tariff, use.times, use.consumption_kwh, households=use.households, days=use.days
        )
    times, consumption, days = season_consumption_kwh(scenario, use.homes, tariff, use.consumption_kwh)
    events = pick_events(scenario, season_forecast(scenario, use.homes)).get(name, ())
    return design_revenue_neutral(
        current, tariff, times, consumption, households=use.households, days=days, event_days=events
    )


def with_revenue_neutral_prices(scenario: Scenario) -> tuple[Scenario, dict[str, RevenueNeutralDesign]]:
    """The scenario with every tariff in `baseline.revenue_neutral` at its designed prices (unchanged if none)."""
    names = scenario.baseline.revenue_neutral
    if not names:
        return scenario, {}
    designs = design_tariffs(scenario, names, baseline_use(scenario))
    data = scenario.model_dump(mode="python")
    data["tariffs"] = {**data["tariffs"], **{n: d.tariff.model_dump(mode="python") for n, d in designs.items()}}
    data["baseline"]["revenue_neutral"] = ()  # already designed: a rerun of the resolved file keeps these prices
    return scenario_from_dict(data, source=f"<{scenario.name}: revenue-neutral prices>"), designs


def design_meta(designs: dict[str, RevenueNeutralDesign]) -> dict[str, dict]:
    """The designs as JSON-ready dicts for `meta.json`."""
    return {
        name: {
            "factor": d.factor,
            "prices_eur_per_kwh": d.prices_eur_per_kwh,
            "baseline_revenue_eur": d.current_revenue_eur,
            "designed_revenue_eur": d.new_revenue_eur,
        }
        for name, d in designs.items()
    }
