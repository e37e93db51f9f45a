"""Draw the household population of a scenario: one row per household, every attribute an array.

Everything here is drawn once, from the model's `population` random stream, so the run and its
baseline (the same seed) have the very same households.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.households.spec import APPLIANCES, SIMBENCH_HOUSEHOLD_PROFILES


@dataclass(frozen=True)
class Population:
    """Household attributes by row (all arrays have one entry per household)."""

    substation: np.ndarray  # int, from the grid
    retailer: np.ndarray  # int, index into scenario.retailers
    profile_type: np.ndarray  # int, index into SIMBENCH_HOUSEHOLD_PROFILES
    profile_shift_steps: np.ndarray  # int
    annual_kwh: np.ndarray
    pv_kwp: np.ndarray  # 0 where no PV
    pv_shape: np.ndarray  # int 0..7, SimBench PV shape used where the PV model is "simbench"
    has_hems: np.ndarray  # bool
    has_ev: np.ndarray  # bool
    charger_kw: np.ndarray  # 0 where no EV
    owns_appliance: np.ndarray  # bool, (households × APPLIANCES)
    ev_from_day: np.ndarray  # float: day of the run from which the household has its EV (0 = from the start)
    heating_kw: np.ndarray  # peak of its electric heating, 0 where none [kW]
    heating_profile: np.ndarray  # int, index into households.electric_heating.profiles

    @property
    def n(self) -> int:
        """Number of households."""
        return len(self.annual_kwh)


def draw_population(
    scenario: Any, substation: np.ndarray, rng: np.random.Generator, heating_full_load_h: np.ndarray | None = None
) -> Population:
    """Draw every household's attributes for the households the grid connects (one per row).

    `heating_full_load_h`: annual full-load hours of each `[households.electric_heating]` profile (the model
    reads them from SimBench); needed only where the heating share is above 0.
    """
    n = len(substation)
    hh, ev = scenario.households, scenario.ev
    shares = np.array([r.customer_share for r in scenario.retailers])
    mix = np.array([hh.profile_mix.get(t, 0.0) for t in SIMBENCH_HOUSEHOLD_PROFILES])
    has_pv = rng.random(n) < hh.pv.share
    ev_draw = rng.random(n)
    ev_from_day = _ev_from_day(ev_draw, ev.share, ev.share_growth_per_month, scenario.horizon_days)
    has_ev = np.isfinite(ev_from_day)
    owns = np.column_stack(
        [rng.random(n) < (hh.appliances[a].share if a in hh.appliances else 0.0) for a in APPLIANCES]
    )
    return Population(
        substation=np.asarray(substation, dtype=np.int64),
        retailer=rng.choice(len(shares), size=n, p=shares / shares.sum()),
        profile_type=rng.choice(len(mix), size=n, p=mix / mix.sum()),
        profile_shift_steps=rng.integers(-hh.profile_shift_max_steps, hh.profile_shift_max_steps + 1, size=n),
        annual_kwh=hh.annual_kwh_median * np.exp(hh.annual_kwh_sigma * rng.standard_normal(n)),
        pv_kwp=np.where(has_pv, rng.uniform(hh.pv.kwp_min, hh.pv.kwp_max, size=n), 0.0),
        pv_shape=rng.integers(0, 8, size=n),
        has_hems=rng.random(n) < hh.hems_share,
        has_ev=has_ev,
        charger_kw=np.where(has_ev, rng.choice(np.array(ev.charger_kw), size=n, p=np.array(ev.charger_weights)), 0.0),
        owns_appliance=owns,
        ev_from_day=ev_from_day,
        **_heating(scenario, n, rng, heating_full_load_h),
    )


DAYS_PER_MONTH = 365.25 / 12


def _ev_from_day(draw: np.ndarray, share: float, growth_per_month: float, horizon_days: float) -> np.ndarray:
    """Day each household gets its EV: draws under `share` from the start, those under the grown share later."""
    day = np.full(draw.size, np.inf)
    day[draw < share] = 0.0
    if growth_per_month > 0 and share > 0:
        later = (draw >= share) & (draw < min(share * (1 + growth_per_month) ** (horizon_days / DAYS_PER_MONTH), 1))
        day[later] = np.log(draw[later] / share) / np.log1p(growth_per_month) * DAYS_PER_MONTH
    return day


def _heating(scenario: Any, n: int, rng: np.random.Generator, full_load_h: np.ndarray | None) -> dict[str, np.ndarray]:
    """Who heats electrically, on which SimBench shape, at what peak (drawn only when the share is above 0)."""
    spec = scenario.households.electric_heating
    if spec.share == 0:
        return {"heating_kw": np.zeros(n), "heating_profile": np.zeros(n, dtype=np.int64)}
    if full_load_h is None:
        raise ValueError("electric heating needs the annual full-load hours of its profiles (heating_full_load_h)")
    heated = rng.random(n) < spec.share
    profile = rng.integers(0, len(spec.profiles), size=n)
    return {"heating_kw": np.where(heated, spec.annual_kwh / full_load_h[profile], 0.0), "heating_profile": profile}


def appliance_kwh_per_year(scenario: Any, population: Population) -> np.ndarray:
    """Expected yearly energy of each household's flexible appliances (part of its annual consumption)."""
    per_cycle = np.array(
        [
            scenario.households.appliances[a].energy_kwh * min(scenario.households.appliances[a].cycles_per_week, 7)
            if a in scenario.households.appliances
            else 0.0
            for a in APPLIANCES
        ]
    )
    return population.owns_appliance @ per_cycle * 365 / 7
