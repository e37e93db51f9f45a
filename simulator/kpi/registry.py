"""Key performance indicators of a run against its counterfactual baseline.

Each KPI is a function of a `KpiInputs` whose docstring is its definition; `KPIS` is the registry
that the CLI table, `check`, the compare report and the GUI's explanations read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from simulator.hub_record import HubRecord


@dataclass(frozen=True)
class KpiInputs:
    """Tables of the run and of its baseline, and the constants the definitions need."""

    district: pd.DataFrame  # run, one row per step (simulator.results.recorder.DISTRICT_SERIES)
    baseline_district: pd.DataFrame
    substations: pd.DataFrame  # run, one row per step and substation
    baseline_substations: pd.DataFrame
    households: pd.DataFrame  # run, one row per household (bill_eur, shifted_kwh, …)
    baseline_households: pd.DataFrame
    step_h: float
    voltage_band_pu: float
    overload_threshold_pct: float = 100.0
    hub: HubRecord | None = None  # what the market hub did (None: no hub in the run)
    without_hub_substations: pd.DataFrame | None = None  # the same run without the hub, when compared
    worse_off_eur_per_year: float = 5.0  # [output] worse_off_eur_per_year: an assumption (households_worse_off_pct)
    peak_window: np.ndarray | None = None  # per step: inside the offered tariff's weekday peak window(s)
    carbon_g_per_kwh: np.ndarray | None = None  # per step: the grid's carbon intensity ([carbon])

    @property
    def days(self) -> float:
        """Length of the run [d]."""
        return len(self.district) * self.step_h / 24.0

    @property
    def converged(self) -> bool:
        """True where at least one step's power flow converged (grid KPIs mean something)."""
        return bool(self.district["converged"].any())


@dataclass(frozen=True)
class Kpi:
    """A KPI: its unit, its definition (the function's docstring) and how to compute it."""

    name: str
    unit: str
    compute: Callable[[KpiInputs], float]
    not_applicable: str = "does not apply to this scenario"  # why it can be NaN (shown when it is)

    @property
    def definition(self) -> str:
        """The one-paragraph definition shown next to the number."""
        return " ".join((self.compute.__doc__ or "").split())


KPIS: dict[str, Kpi] = {}


def kpi(
    unit: str, not_applicable: str = "does not apply to this scenario"
) -> Callable[[Callable[[KpiInputs], float]], Callable[[KpiInputs], float]]:
    """Register a KPI function under its name; `not_applicable` says why it is NaN when it is."""

    def register(fn: Callable[[KpiInputs], float]) -> Callable[[KpiInputs], float]:
        KPIS[fn.__name__] = Kpi(fn.__name__, unit, fn, not_applicable)
        return fn

    return register


def _peak(district: pd.DataFrame) -> float:
    return float(np.nanmax(district["import_kw"])) if district["import_kw"].notna().any() else float("nan")


@kpi("kW")
def peak_kw(x: KpiInputs) -> float:
    """Highest district import at the primary substation over the run (household load − PV + losses)."""
    return _peak(x.district)


@kpi("kW")
def baseline_peak_kw(x: KpiInputs) -> float:
    """Highest district import in the counterfactual baseline (same households, no demand response, flat tariff)."""
    return _peak(x.baseline_district)


@kpi("h")
def baseline_peak_hour(x: KpiInputs) -> float:
    """Local clock time (decimal hours, 19.5 = 19:30) of the step in which the baseline's district import peaks."""
    d = x.baseline_district
    if not d["import_kw"].notna().any():
        return float("nan")
    t = pd.Timestamp(d["time"].iloc[int(np.nanargmax(d["import_kw"].to_numpy()))])
    return t.hour + t.minute / 60


@kpi("%")
def peak_reduction_pct(x: KpiInputs) -> float:
    """How much lower the district peak is than the baseline's: 100 × (baseline peak − peak) / baseline peak."""
    base = baseline_peak_kw(x)
    return 100.0 * (base - peak_kw(x)) / base


@kpi("-")
def peak_to_average_ratio(x: KpiInputs) -> float:
    """District peak import divided by the mean import over the run."""
    return peak_kw(x) / float(np.nanmean(x.district["import_kw"])) if x.converged else float("nan")


@kpi("-")
def load_factor(x: KpiInputs) -> float:
    """Mean district import divided by its peak (1 = perfectly flat)."""
    return 1.0 / peak_to_average_ratio(x)


@kpi("kWh", "no power flow converged")
def energy_kwh(x: KpiInputs) -> float:
    """Energy imported at the primary substation over the run (NaN when no step's power flow converged)."""
    return float(np.nansum(x.district["import_kw"]) * x.step_h) if x.converged else float("nan")


@kpi("kWh")
def baseline_energy_kwh(x: KpiInputs) -> float:
    """Energy imported at the primary substation over the baseline run."""
    d = x.baseline_district
    return float(np.nansum(d["import_kw"]) * x.step_h) if d["converged"].any() else float("nan")


@kpi("kWh")
def energy_shifted_kwh(x: KpiInputs) -> float:
    """Energy HEMS moved in time: cycle energy run away from the user's start + ½ Σ|managed − uncontrolled| of EVs."""
    return float(x.households["shifted_kwh"].sum())


@kpi("h", "no power flow converged")
def transformer_overload_hours(x: KpiInputs) -> float:
    """Substation-hours with transformer loading above 100 % (summed over substations)."""
    if not x.converged:
        return float("nan")
    return float((x.substations["loading_pct"] > x.overload_threshold_pct).sum() * x.step_h)


@kpi("h")
def baseline_transformer_overload_hours(x: KpiInputs) -> float:
    """Substation-hours with transformer loading above 100 % in the baseline."""
    return float((x.baseline_substations["loading_pct"] > x.overload_threshold_pct).sum() * x.step_h)


@kpi("h", "no power flow converged")
def voltage_violation_hours(x: KpiInputs) -> float:
    """Hours with any bus outside the voltage band (±10 % of nominal, EN 50160, unless the DSO sets another)."""
    d = x.district
    if not x.converged:
        return float("nan")
    out = (d["vm_min_pu"] < 1 - x.voltage_band_pu) | (d["vm_max_pu"] > 1 + x.voltage_band_pu)
    return float(out.sum() * x.step_h)


@kpi("kWh", "no power flow converged")
def losses_kwh(x: KpiInputs) -> float:
    """Active losses in lines and transformers over the run."""
    return float(np.nansum(x.district["losses_kw"]) * x.step_h) if x.converged else float("nan")


@kpi("€")
def bill_mean_eur(x: KpiInputs) -> float:
    """Mean household bill over the run (energy bought from the grid × its price, plus standing charges)."""
    return float(x.households["bill_eur"].mean())


@kpi("€")
def bill_change_mean_eur(x: KpiInputs) -> float:
    """Mean change of household bills against the baseline (negative = households save)."""
    return float((x.households["bill_eur"] - x.baseline_households["bill_eur"]).mean())


@kpi("€")
def bill_change_p10_eur(x: KpiInputs) -> float:
    """10th percentile of the household bill change against the baseline (the households that save most)."""
    return float(np.percentile(x.households["bill_eur"] - x.baseline_households["bill_eur"], 10))


@kpi("€")
def bill_change_p90_eur(x: KpiInputs) -> float:
    """90th percentile of the household bill change against the baseline (the households that lose most)."""
    return float(np.percentile(x.households["bill_eur"] - x.baseline_households["bill_eur"], 90))


@kpi("%")
def households_worse_off_pct(x: KpiInputs) -> float:
    """Share of households whose bill rises against the baseline by more than a yearly threshold, pro rata.

    The threshold is `[output] worse_off_eur_per_year` (default 5 € a year, an assumption), scaled to the run's
    length (5 € a year is 0.096 € over a week), so that a week's run and a year's call the same household worse off.
    """
    threshold = x.worse_off_eur_per_year * x.days / 365.0
    worse = (x.households["bill_eur"] - x.baseline_households["bill_eur"]) > threshold
    return float(100.0 * worse.mean())


@kpi("€", "the tariffs do not split a network component from the energy one")
def retailer_revenue_eur(x: KpiInputs) -> float:
    """What retailers keep of the households' bills: energy component and standing charges (bills − network).

    NaN where no tariff has a network component: it would only repeat bills_total_eur.
    """
    network = x.households.get("bill_network_eur")
    if network is None or not (network.to_numpy(dtype=float) > 0).any():
        return float("nan")
    return float((x.households["bill_eur"] - network).sum())


@kpi("steps")
def grid_non_converged_steps(x: KpiInputs) -> float:
    """Steps whose power flow did not converge (recorded as events, their grid numbers left empty)."""
    return float((~x.district["converged"]).sum())


def compute_kpis(x: KpiInputs) -> dict[str, float]:
    """Every registered KPI."""
    return {name: k.compute(x) for name, k in KPIS.items()}


def substation_kpis(x: KpiInputs) -> pd.DataFrame:
    """Per substation: peak and baseline peak (kW), peak reduction (%), overload hours, run and baseline."""

    def per(frame: pd.DataFrame) -> pd.DataFrame:
        g = frame.groupby("substation", sort=False, observed=True)
        over = frame["loading_pct"] > x.overload_threshold_pct
        return pd.DataFrame(
            {
                "peak_kw": g["p_kw"].max(),
                "max_loading_pct": g["loading_pct"].max(),
                "overload_hours": over.groupby(frame["substation"], sort=False, observed=True).sum() * x.step_h,
                "vm_min_pu": g["vm_min_pu"].min(),
            }
        )

    run, base = per(x.substations), per(x.baseline_substations)
    out = run.join(base.add_prefix("baseline_"))
    out["peak_reduction_pct"] = 100.0 * (out["baseline_peak_kw"] - out["peak_kw"]) / out["baseline_peak_kw"]
    return out.reset_index()


# KPI modules that register into KPIS on import (kept apart to keep this module to one idea)
from simulator.kpi import buildings, carbon, heat_pumps, hub, meter, peak, tariffs  # noqa: E402, F401
