"""Run a scenario with its counterfactual baseline: step by step (GUI) or to the end (CLI, Python API).

The baseline is the same scenario and seed with demand response off and every household on the
baseline's flat tariff, run by the same code path (DESIGN.md, "Baseline"); the two models step
together so a live view can show both curves.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from agents.households.spec import APPLIANCES
from simulator.baseline_job import BaselineJob
from simulator.compare.tariff_neutral import design_meta, with_revenue_neutral_prices
from simulator.kpi.carbon_intensity import intensity_on_steps
from simulator.kpi.peak import peak_window_mask
from simulator.kpi.registry import KpiInputs, compute_kpis, substation_kpis
from simulator.measured import household_columns
from simulator.meter_data.data_catalogue import consent_flags, social_tariff_flags
from simulator.model import CityModel
from simulator.model_registry import release_model
from simulator.results.household_series import check_series_size
from simulator.results.hub_tables import hub_record, messages_table, requests_table, without_hub_model
from simulator.results.output_dir import check_output_dir
from simulator.results.recorder import substation_cases
from simulator.results.run_result import RunResult, write_results
from simulator.scenario import Scenario, load_scenario

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Snapshot:
    """What a live view needs after a step: the latest numbers of the run and of its baseline."""

    step: int
    n_steps: int
    time: pd.Timestamp
    import_kw: float
    baseline_import_kw: float
    trafo_loading_pct: np.ndarray
    vm_min_pu: float
    vm_max_pu: float
    price_mean_eur_per_kwh: float
    ev_kw: float
    wall_s: float


class Simulation:
    """A scenario and its baseline, stepped together (`lockstep`: what a live view needs).

    Headless, with `lockstep=False`, the baseline runs in a second process alongside (`simulator.baseline_job`).
    """

    def __init__(self, scenario: Scenario, *, lockstep: bool = True) -> None:
        self.started = time.perf_counter()
        self.given_fingerprint = scenario.fingerprint()  # before any revenue-neutral design changes the prices
        _check_series_early(scenario)
        scenario, self.designs = with_revenue_neutral_prices(scenario)
        self.scenario = scenario
        self._baseline_job = None if lockstep else BaselineJob(scenario)
        self.model = CityModel(scenario, demand_response=True)
        self.without_hub = without_hub_model(scenario, self.model.grid)
        self.baseline = CityModel(scenario, demand_response=False, grid=self.model.grid.clone()) if lockstep else None
        self.setup_s = time.perf_counter() - self.started

    @property
    def step_index(self) -> int:
        """Steps done so far."""
        return self.model.steps

    @property
    def done(self) -> bool:
        """True once the horizon is simulated."""
        return not self.model.running

    def step(self) -> Snapshot:
        """Advance both models one step and return the latest numbers."""
        if self.baseline is not None:
            self.baseline.step()
        self.model.step()
        if self.without_hub is not None:
            self.without_hub.step()
        return self.snapshot()

    def snapshot(self) -> Snapshot:
        """The latest step's numbers (of the step just done)."""
        k = max(self.model.steps - 1, 0)
        d = self.model.recorder.district
        b = self.baseline.recorder.district if self.baseline is not None else {"import_kw": np.full(k + 1, np.nan)}
        return Snapshot(
            step=k,
            n_steps=self.scenario.n_steps,
            time=self.model.times[k],
            import_kw=float(d["import_kw"][k]),
            baseline_import_kw=float(b["import_kw"][k]),
            trafo_loading_pct=self.model.recorder.substation["loading_pct"][k].copy(),
            vm_min_pu=float(d["vm_min_pu"][k]),
            vm_max_pu=float(d["vm_max_pu"][k]),
            price_mean_eur_per_kwh=float(d["price_mean_eur_per_kwh"][k]),
            ev_kw=float(d["ev_kw"][k]),
            wall_s=time.perf_counter() - self.started,
        )

    def run(self, progress: ProgressCallback | None = None) -> RunResult:
        """Step to the end of the horizon and collect the result."""
        n = self.scenario.n_steps
        try:
            while not self.done:
                self.step()
                if progress is not None:
                    progress(self.model.steps, n)
            if self._baseline_job is not None:
                self.baseline = self._baseline_job.result()
            return self.result()
        finally:
            self.release()  # also when cancelled or failed: mesa would keep the models for good

    def release(self) -> None:
        """Let mesa's registry forget this run's models (`simulator.model_registry`); their arrays stay readable."""
        release_model(self.model, self.baseline, self.without_hub)

    def result(self) -> RunResult:
        """Tables, KPIs and metadata of the (finished) run."""
        sc, m, b = self.scenario, self.model, self.baseline
        names = m.grid.substation_names
        district = _cases(m.recorder.district_frame(m.times), b.recorder.district_frame(b.times))
        substations = substation_cases({"scenario": m.recorder, "baseline": b.recorder}, m.times, names)
        half = len(substations) // 2  # row slices are views: the KPIs read the same arrays
        agents = agents_table(m, b)
        hub = hub_record(m)
        carbon, self.carbon_source = intensity_on_steps(sc.carbon, sc.location.timezone, m.times)
        inputs = KpiInputs(
            district=m.recorder.district_frame(m.times),
            baseline_district=b.recorder.district_frame(b.times),
            substations=substations.iloc[:half],
            baseline_substations=substations.iloc[half:],
            households=agents,
            baseline_households=agents[["row"]].assign(bill_eur=agents["baseline_bill_eur"]),
            step_h=sc.step_h,
            voltage_band_pu=sc.dso.voltage_band_pct / 100,
            hub=hub,
            without_hub_substations=(
                self.without_hub.recorder.substation_frame(m.times, names) if self.without_hub is not None else None
            ),
            worse_off_eur_per_year=sc.output.worse_off_eur_per_year,
            peak_window=offered_peak_window(m),
            carbon_g_per_kwh=carbon,
        )
        result = RunResult(
            scenario=sc,
            kpis=compute_kpis(inputs),
            district=district,
            substations=substations,
            agents=agents,
            messages=messages_table(hub),
            requests=requests_table(hub),
            events=events_table(m),
            substation_kpis=substation_kpis(inputs),
            meta=self._meta(),
            households=m.household_series.frame(m.times) if m.household_series is not None else pd.DataFrame(),
        )
        self.release()
        return result

    def _meta(self) -> dict[str, Any]:
        m = self.model
        return {
            "scenario": self.scenario.name,
            "seed": self.scenario.seed,
            "scenario_sha256": self.given_fingerprint,  # of the scenario as given; scenario.toml holds it as run
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "wall_time_s": round(time.perf_counter() - self.started, 3),
            "setup_s": round(self.setup_s, 3),
            "engine": {
                "power_flow": m.grid.backend,
                "households": m.population.n,
                "substations": len(m.grid.substation_names),
                "steps": self.scenario.n_steps,
            },
            "phase_s": {
                "scenario": {k: round(v, 4) for k, v in m.phase_s.items()},
                "baseline": {k: round(v, 4) for k, v in self.baseline.phase_s.items()},
            },
            "energy_after_horizon_kwh": {
                "scenario": _after_horizon_kwh(m),
                "baseline": _after_horizon_kwh(self.baseline),
            },
            "tariff_designs": design_meta(self.designs),
            "weather": None if m.weather is None else {"source": m.weather.source},
            "carbon_intensity": getattr(self, "carbon_source", ""),
            "warnings": ([] if m.weather is None else list(m.weather.warnings))
            + [w for fleet in m.fleets for w in getattr(fleet, "warnings", [])],
            "meter_data": m.measured.report() if m.measured is not None else None,
            "consent": {
                "share": self.scenario.households.consent_share,
                "households_exported": int(consent_flags(self.scenario, m.population.n).sum()),
            },
            "versions": _versions(),
            "git_commit": _git_commit(),
        }


def _check_series_early(scenario: Scenario) -> None:
    """Refuse oversized per-household series before the revenue-neutral design and the baseline run.

    Only a synthetic grid says its household count up front; the model checks every grid again when it is built.
    """
    grid = scenario.grid
    if scenario.output.household_series != "none" and grid.kind == "synthetic":
        n = grid.substations * grid.households_per_substation
        check_series_size(scenario, int(consent_flags(scenario, n).sum()))


def _cases(run: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([run.assign(case="scenario"), baseline.assign(case="baseline")], ignore_index=True)


def agents_table(model: CityModel, baseline: CityModel) -> pd.DataFrame:
    """One row per household: who it is, what it used and paid, against the baseline."""
    pop = model.population
    frame = pd.DataFrame(
        {
            "row": np.arange(pop.n),
            "substation": np.asarray(model.grid.substation_names, dtype=object)[pop.substation],
            "retailer": [model.scenario.retailers[i].name for i in pop.retailer],
            "tariff": np.asarray(model.tariff_names, dtype=object)[model.household_tariff],
            "annual_kwh": pop.annual_kwh,
            "pv_kwp": pop.pv_kwp,
            "has_ev": pop.has_ev,
            "has_hems": pop.has_hems,
            "charger_kw": pop.charger_kw,
            **{f"owns_{a}": pop.owns_appliance[:, i] for i, a in enumerate(APPLIANCES)},
            **model.recorder.household,
            "peak_kw": model.recorder.household_peak_kw,
            "contracted_kva": model.contracted_kva,
            "power_trips": model.power_trips,
            **model.response.household_columns(),
            "bill_eur": model.bill_eur,
            "bill_network_eur": model.bill_network_eur,
            "baseline_bill_eur": baseline.bill_eur,
            "baseline_bill_network_eur": baseline.bill_network_eur,
            "baseline_energy_kwh": baseline.recorder.household["energy_kwh"],
            "baseline_deferred_kwh": baseline.recorder.household["deferred_kwh"],
            "baseline_offered_bill_eur": baseline.offered_bill_eur,
            **household_columns(model.measured, pop.n),
            "social_tariff": social_tariff_flags(model.scenario, pop.n),
            **{name: v for fleet in model.fleets if fleet.kind != "households" for name, v in fleet.totals().items()},
            "consent": consent_flags(model.scenario, pop.n),
        }
    )
    frame["bill_change_eur"] = frame["bill_eur"] - frame["baseline_bill_eur"]
    if model.scenario.hems.controller:  # which HEMS agent class decided for each home ("" without a HEMS)
        frame["hems_controller"] = hems_classes(model)
    return frame


def offered_peak_window(model: CityModel) -> np.ndarray:
    """Per step: inside the weekday peak window of the tariff most households are offered."""
    main = int(np.bincount(model.offered_tariff).argmax())
    n = model.scenario.n_steps
    return peak_window_mask(model.prices[main, :n], model.times, model.scenario.steps_per_day)


def hems_classes(model: CityModel) -> np.ndarray:
    """The class name of each household's HEMS agent, "" where it has none."""
    names = np.full(model.population.n, "", dtype=object)
    for agent in model.hems:
        names[agent.row] = type(agent).__qualname__
    return names


def events_table(model: CityModel) -> pd.DataFrame:
    """What happened in the run, one row per event: non-converged power flows and DSO-seen constraints."""
    names = model.grid.substation_names
    rows = [
        {"step": e.step, "time": model.times[e.step], "kind": "grid_not_converged", "substation": "", "value": np.nan,
         "detail": e.cause}
        for e in model.grid_events
    ] + [
        {"step": v.step, "time": model.times[v.step], "kind": v.kind, "substation": names[v.substation],
         "value": v.value, "detail": ""}
        for v in model.dso.violations
    ] + [
        {"step": int(np.searchsorted(model.times, pd.Timestamp(d))), "time": pd.Timestamp(d), "kind": "cpp_event",
         "substation": "", "value": np.nan, "detail": f"tariff {name}: critical peak announced the day before"}
        for name, days in model.event_days.items() for d in days
        if model.times[0] <= pd.Timestamp(d) <= model.times[-1]
    ]  # fmt: skip
    columns = ["step", "time", "kind", "substation", "value", "detail"]
    return pd.DataFrame(rows, columns=columns).sort_values("step", kind="stable").reset_index(drop=True)


def _after_horizon_kwh(model: CityModel) -> float:
    """Planned flexible energy that falls after the horizon's end (moved past the last step)."""
    spd = model.scenario.steps_per_day
    last_in_day = (model.scenario.n_steps - 1) % spd
    tail = slice(last_in_day + 1, 2 * spd)
    return float((model.book.appliance_kw[tail].sum() + model.book.ev_kw[tail].sum()) * model.scenario.step_h)


def _versions() -> dict[str, str]:
    names = ("mesa", "pandapower", "simbench", "simpy", "numpy", "pandas", "pyarrow", "pydantic", "pvlib")
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


PARALLEL_MIN_HOUSEHOLD_STEPS = 2_000_000  # below this a second process costs more than it saves (measured)


def _spare_core() -> bool:
    """True where another core is free: more than one, and not inside a worker that already uses them."""
    return (os.cpu_count() or 1) > 1 and not mp.current_process().daemon and mp.parent_process() is None


def _households(scenario: Scenario) -> int:
    grid = scenario.grid
    return grid.substations * grid.households_per_substation if grid.kind == "synthetic" else 100


def _git_commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def run(
    scenario: Scenario | str | Path,
    out: str | Path | None = None,
    *,
    seed: int | None = None,
    progress: ProgressCallback | None = None,
    parallel_baseline: bool | None = None,
) -> RunResult:
    """Run a scenario (a `Scenario` or a path to its TOML) with its baseline; write results to `out` if given.

    `parallel_baseline` runs the baseline in a second process (same results, about half the wall time
    on two cores); by default where there is a spare core and the run is big enough to pay for a process.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if out is not None:
        check_output_dir(out)  # before the run: a directory cityflex may not replace is refused at once
    if seed is not None:
        scenario = scenario.model_copy(update={"seed": seed})
    if parallel_baseline is None:
        parallel_baseline = _spare_core() and scenario.n_steps * _households(scenario) >= PARALLEL_MIN_HOUSEHOLD_STEPS
    result = Simulation(scenario, lockstep=not parallel_baseline).run(progress)
    if out is not None:
        write_results(result, out)
    return result
