"""District planning (the SEPS of Sharing Cities Lisbon, seed 000): where more rooftop PV or batteries pay off most.

Per secondary substation: the PV hosting capacity, found by bisection with the grid's solver on the
year's worst case for injection, whatever week the scenario runs: the sunniest step of a clear Sunday
near midsummer (light load, most PV; `worst_case_state`), as the largest extra rooftop injection,
spread evenly over its homes, before a bus leaves the voltage band, a line or the transformer passes
100 %, or the power flow fails; and, from the baseline's own substation series, how much the
substation's peak import falls per kWp of PV and per kWh of battery (ideal peak shaving, linear: no
losses). Estimates for ranking sites, not a design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from market.disclosure import withhold
from simulator.grid.grid import Grid, GridReport
from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.planning.ranking import tied_ranks
from simulator.scenario import Scenario

BATTERY_KWH_PER_HOME = 5.0  # assumption: a small home battery per household, for the per-kWh estimate
BATTERY_C_RATE = 0.5  # assumption: power = half the capacity per hour
REL_TOL = 1e-3  # bisection stops when its bracket is this close (relative): capacities closer than 2× tie
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class State:
    """A grid operating point: every load's p and q (households then buildings) [kW, kvar]."""

    p_kw: np.ndarray
    q_kvar: np.ndarray


def limits_hit(report: GridReport, substation: int, band_pu: float) -> str:
    """Which limit the report violates at `substation` ('' when none)."""
    if not report.converged:
        return "power flow"
    if report.substation_vm_max_pu[substation] > 1 + band_pu or report.vm_max_pu > 1 + band_pu:
        return "voltage"
    if report.trafo_loading_pct[substation] > 100.0:
        return "transformer"
    if report.substation_line_loading_pct_max[substation] > 100.0:
        return "line"
    return ""


def with_injection(grid: Grid, state: State, substation: int, extra_kw: float) -> State:
    """`state` with `extra_kw` of rooftop PV spread evenly over the substation's homes."""
    homes = grid.household_substation == substation
    homes[len(state.p_kw) :] = False
    p = state.p_kw.copy()
    p[homes] -= extra_kw / max(homes.sum(), 1)
    return State(p, state.q_kvar)


def hosting_capacity_kw(grid: Grid, state: State, substation: int, band_pu: float) -> tuple[float, str]:
    """Largest extra injection [kW] at `substation` within limits, and the limit that binds above it."""

    def hit(kw: float) -> str:
        s = with_injection(grid, state, substation, kw)
        return limits_hit(grid.solve(s.p_kw, s.q_kvar), substation, band_pu)

    if hit(0.0):
        return 0.0, hit(0.0)
    low, high = 0.0, 50.0
    while not hit(high):
        low, high = high, high * 2
        if high > 1e5:
            return float("inf"), ""
    while high - low > REL_TOL * high:
        mid = (low + high) / 2
        low, high = (low, mid) if hit(mid) else (mid, high)
    return low, hit(high)


def shaved_kw(p_kw: np.ndarray, steps_per_day: int, step_h: float, energy_kwh: float, power_kw: float) -> float:
    """Largest cut of the peak an ideal battery achieves: daily energy above the cut ≤ its energy and power."""
    if len(p_kw) == 0:
        return 0.0
    peak = float(p_kw.max())
    # day by day; a partial last day (or a horizon under a day) padded with -inf, which lies under any cut
    days = np.full(-(-len(p_kw) // steps_per_day) * steps_per_day, -np.inf)
    days[: len(p_kw)] = p_kw
    days = days.reshape(-1, steps_per_day)

    def feasible(cut: float) -> bool:
        above = np.clip(days - (peak - cut), 0, None)
        return above.max() <= power_kw + 1e-9 and (above.sum(axis=1) * step_h).max() <= energy_kwh + 1e-9

    low, high = 0.0, max(min(power_kw, peak), 0.0)
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if feasible(mid) else (low, mid)
    return low


def plan(scenario: Scenario, progress: Progress | None = None) -> pd.DataFrame:
    """The SEPS table: one row per substation, ranked by where PV fits most and batteries cut the peak most.

    `progress(done, total, what)` hears of the baseline's steps, then of each substation's bisection.
    """
    from simulator.planning.economics import economics, pv_year

    model, _, _ = baseline_with_midday_state(scenario, progress)  # the run's own series: peaks, batteries
    state, when = worst_case_state(scenario)  # the year's light-load, high-injection case, not the run's
    year = pv_year(scenario)  # kWp at the year's highest output per kWp: the summer-midday worst case
    table = _table(model, state, year.peak_kw_per_kwp, progress)
    table["pv_hosting_kwp"] = table["pv_hosting_kw"] / year.peak_kw_per_kwp
    table = table.merge(economics(table, scenario, year).drop(columns="pv_kwp"), on="substation")
    table.attrs.update(pv_year=year, state_time=when, state_load_kw=float(state.p_kw.sum()))
    return table


def worst_case_state(scenario: Scenario) -> tuple[State, pd.Timestamp]:
    """The year's light-load, high-injection operating point: every load's power, and when it is.

    The scenario's households (same seed) on the Sunday nearest 21 June of its year, under a clear sky
    (pvlib clear sky × the weather's performance ratio), at that day's sunniest step.
    """
    day = pd.Timestamp(scenario.start.year, 6, 21)
    day += pd.Timedelta(days=(6 - day.weekday() + 3) % 7 - 3)  # the nearest Sunday
    pv = scenario.households.pv.model_copy(
        update={"model": "clearsky", "clear_sky_derate": scenario.weather.performance_ratio}
    )
    case = scenario.model_copy(
        update={"start": day.to_pydatetime(), "horizon_days": 1,
                "households": scenario.households.model_copy(update={"pv": pv})}
    )  # fmt: skip
    model = CityModel(case, demand_response=False)
    step = _midday_step(model)
    while model.steps < step:
        model.step()
    k = model.steps
    release_model(model)
    return State(*model.loads(k, k % case.steps_per_day)), model.times[k]


def baseline_with_midday_state(scenario: Scenario, progress: Progress | None = None) -> tuple[CityModel, State, int]:
    """Run the baseline to the end, keeping every load's power at the sunniest step of the lightest day.

    The sunniest step of the day comes from the first day; of the run's days, the one whose load at that
    time of day is lowest gives the state (light load, high injection: the worst case the run contains).
    """
    model = CityModel(scenario, demand_response=False)
    spd = scenario.steps_per_day
    midday = _midday_step(model)
    state, lightest = None, np.inf
    while model.running:
        k = model.steps
        if k % spd == midday % spd:
            p, q = model.loads(k, k % spd)
            if p.sum() < lightest:
                state, lightest, chosen = State(p, q), float(p.sum()), k
        model.step()
        if progress is not None:
            progress(model.steps, scenario.n_steps, "baseline")
    release_model(model)  # stepped to the end: its arrays stay readable, mesa's registry lets go
    return model, state, chosen


def _midday_step(model: CityModel) -> int:
    """The step of the first day with the most PV per kWp (the light-load, high-injection case)."""
    first_day = model.pv_kw_per_kwp[0, : model.scenario.steps_per_day]
    return max(int(np.argmax(first_day)), 1)


HOUSEHOLD_FIGURES = ("peak_kw", "overload_hours", "pv_peak_cut_kw_per_kwp", "battery_peak_cut_kw_per_kwh")


def _table(model: CityModel, state: State, per_kwp: float, progress: Progress | None = None) -> pd.DataFrame:
    sc, grid = model.scenario, model.grid
    band = sc.dso.voltage_band_pct / 100
    series = model.recorder.substation["p_kw"]  # steps × substations, baseline
    pv_shape = np.asarray(model.pv_kw_per_kwp[0])
    homes = np.bincount(model.population.substation, minlength=len(grid.substation_names))
    rows = []
    for s, name in enumerate(grid.substation_names):  # per substation: planning, not a model step
        cap_kw, limit = hosting_capacity_kw(grid, state, s, band)
        if progress is not None:
            progress(s + 1, len(grid.substation_names), "substations")
        p = series[:, s]
        probe_kwp = max(min(cap_kw / per_kwp, 10.0 * max(homes[s], 1)) * 0.1, 1.0)
        pv_cut = float(p.max() - (p - probe_kwp * pv_shape).max()) / probe_kwp
        battery_kwh = BATTERY_KWH_PER_HOME * max(homes[s], 1)
        cut = shaved_kw(p, sc.steps_per_day, sc.step_h, battery_kwh, battery_kwh * BATTERY_C_RATE)
        overload = (model.recorder.substation["loading_pct"][:, s] > 100).sum() * sc.step_h
        rows.append({"substation": name, "homes": int(homes[s]), "peak_kw": float(p.max()),
                     "overload_hours": float(overload), "pv_hosting_kw": cap_kw, "pv_hosting_kwp": cap_kw / per_kwp,
                     "binding_limit": limit or "none up to 100 MW", "pv_peak_cut_kw_per_kwp": pv_cut,
                     "battery_kwh": battery_kwh, "battery_peak_cut_kw_per_kwh": cut / battery_kwh})  # fmt: skip
    table = pd.DataFrame(rows)
    table["rank_pv"], table["tied_pv"] = tied_ranks(table["pv_hosting_kw"].to_numpy(), 2 * REL_TOL)
    table["rank_battery"], table["tied_battery"] = tied_ranks(table["battery_peak_cut_kw_per_kwh"].to_numpy(), 1e-6)
    table = table.sort_values(["rank_pv", "rank_battery"]).reset_index(drop=True)
    # the disclosure rule: a substation's load figures are its homes' (its grid figures, hosting capacity, are not)
    return withhold(table, table["homes"].to_numpy(), HOUSEHOLD_FIGURES)
