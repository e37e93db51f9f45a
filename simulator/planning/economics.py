"""What the SEPS options cost and earn: PV at each substation's hosting capacity and a battery per home, in €.

Hosting capacity is found in kW of injection; it becomes kWp at the year's highest PV output per kWp at the
scenario's location (the summer-midday worst case: a clear sky at solar noon in June, after the derate), so a
substation is never credited with more panels than its worst hour allows. Costs and values are labelled
assumptions with their sources (`COSTS`); payback is simple (cost / yearly value, no discounting, no ageing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.scenario import Scenario


@dataclass(frozen=True)
class Cost:
    """One cost or value assumption: the number, its unit and where it comes from."""

    value: float
    unit: str
    source: str


COSTS: dict[str, Cost] = {
    "pv_eur_per_kwp": Cost(
        1200.0, "€/kWp",
        "installed residential PV in Portugal: 3 kWp 3,500–4,500 €, 5 kWp 5,000–6,500 € (Ekonomista, Feb 2026, "
        "as republished; not checked against a primary source: assumption)",
    ),
    "battery_eur_per_kwh": Cost(700.0, "€/kWh", "installed home battery: assumption (no verified source gathered)"),
    "peak_value_eur_per_kw_year": Cost(
        50.0, "€/kW/year",
        "value to the DSO of one kW less peak at a secondary substation (deferred reinforcement): assumption",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class PvYear:
    """A year of PV output per kWp at the scenario's site: its peak (worst case) and its energy."""

    peak_kw_per_kwp: float
    energy_kwh_per_kwp: float
    how: str


def pv_year(scenario: Scenario) -> PvYear:
    """The year's highest output per kWp and yearly energy per kWp, from the scenario's PV model."""
    pv = scenario.households.pv
    year = pd.Timestamp(scenario.start).year
    if pv.model == "weather":
        return _weather_year(scenario, year)
    if pv.model == "clearsky":
        from simulator.profiles import clear_sky_pv_kw_per_kwp

        times = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="15min", inclusive="left")
        loc = scenario.location
        per_kwp = pv.clear_sky_derate * clear_sky_pv_kw_per_kwp(
            times, 15, latitude=loc.latitude, longitude=loc.longitude, timezone=loc.timezone,
            tilt_deg=pv.tilt_deg, azimuth_deg=pv.azimuth_deg,
        )  # fmt: skip
        how = f"pvlib clear sky at {loc.name} × {pv.clear_sky_derate:g} derate, {year}"
    else:
        from simulator.profiles import simbench_pv_shapes

        per_kwp = simbench_pv_shapes().max(axis=0)
        how = "SimBench PV shapes (highest of PV1–PV8 at each quarter-hour), 2016"
    return PvYear(float(np.max(per_kwp)), float(np.sum(per_kwp) * 0.25), how)


def _weather_year(scenario: Scenario, year: int) -> PvYear:
    """From `[weather]`: the highest output a clear day's, the energy the year's weather.

    Clear sky × the performance ratio gives the peak; the offline model drawn with the scenario's seed (or the
    weather file) gives the yearly energy per kWp.
    """
    from simulator.profiles import clear_sky_pv_kw_per_kwp
    from simulator.weather.weather import weather_on_steps

    pv, loc, spec = scenario.households.pv, scenario.location, scenario.weather
    times = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="15min", inclusive="left")
    clear = spec.performance_ratio * clear_sky_pv_kw_per_kwp(
        times, 15, latitude=loc.latitude, longitude=loc.longitude, timezone=loc.timezone,
        tilt_deg=pv.tilt_deg, azimuth_deg=pv.azimuth_deg,
    )  # fmt: skip
    weather = weather_on_steps(spec, loc, pv, times, 15, np.random.default_rng(scenario.seed))
    how = f"clear sky at {loc.name} × {spec.performance_ratio:g} (highest); {weather.source}, {year} (energy)"
    return PvYear(float(np.max(clear)), float(np.sum(weather.pv_kw_per_kwp) * 0.25), how)


def baseline_price_eur_per_kwh(scenario: Scenario) -> float:
    """The average price of the baseline tariff over the run (what a kWh of own PV saves a household)."""
    tariff = scenario.tariffs[scenario.baseline.tariff]
    times = scenario.times()
    return float(np.mean(tariff.prices_eur_per_kwh(times)))


def economics(table: pd.DataFrame, scenario: Scenario, year: PvYear) -> pd.DataFrame:
    """Per substation: PV at hosting capacity (kWp, cost, yearly value, payback) and the battery (cost, payback)."""
    price = baseline_price_eur_per_kwh(scenario)
    out = pd.DataFrame({"substation": table["substation"]})
    kwp = table["pv_hosting_kw"].clip(lower=0) / year.peak_kw_per_kwp
    out["pv_kwp"] = kwp.where(np.isfinite(kwp))
    out["pv_cost_eur"] = out["pv_kwp"] * COSTS["pv_eur_per_kwp"].value
    out["pv_value_eur_per_year"] = out["pv_kwp"] * year.energy_kwh_per_kwp * price
    out["pv_payback_years"] = out["pv_cost_eur"] / out["pv_value_eur_per_year"].where(out["pv_value_eur_per_year"] > 0)
    out["battery_cost_eur"] = table["battery_kwh"] * COSTS["battery_eur_per_kwh"].value
    cut_kw = table["battery_peak_cut_kw_per_kwh"] * table["battery_kwh"]
    out["battery_value_eur_per_year"] = cut_kw * COSTS["peak_value_eur_per_kw_year"].value
    value = out["battery_value_eur_per_year"].where(out["battery_value_eur_per_year"] > 0)
    out["battery_payback_years"] = out["battery_cost_eur"] / value
    return out


def assumptions(scenario: Scenario, year: PvYear) -> list[tuple[str, str, str]]:
    """(what, value, source) of every number the € figures rest on, for the page."""
    tariff = scenario.tariffs[scenario.baseline.tariff]
    rows = [(k.replace("_", " "), f"{c.value:,.0f} {c.unit}", c.source) for k, c in COSTS.items()]
    rows += [
        ("PV worst case", f"{year.peak_kw_per_kwp:.3f} kW per kWp", f"the year's highest quarter-hour: {year.how}"),
        ("PV yearly energy", f"{year.energy_kwh_per_kwp:,.0f} kWh per kWp", year.how),
        ("value of own PV", f"{baseline_price_eur_per_kwh(scenario) * 100:.1f} c€/kWh",
         f"average price of the baseline tariff {scenario.baseline.tariff!r} ({getattr(tariff, 'source', '')}); "
         "every kWh counted as used at home (no export at a lower price): optimistic"),
    ]  # fmt: skip
    return rows
