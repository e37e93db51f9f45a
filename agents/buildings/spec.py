"""Tertiary buildings (offices, schools, the municipal building, shops): their scenario section.

A building's load follows
a SimBench commercial profile (G0–G6, shipped in the `simbench` wheel) scaled to its annual
consumption; part of it is HVAC that a building energy manager (`agents.buildings.bem`) may shift. Defaults
are assumptions unless a comment names a source.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from market.spec import Spec

#: SimBench commercial load profiles (BDEW G-types) available in the wheel.
COMMERCIAL_PROFILES = ("G0-A", "G1-A", "G1-B", "G1-C", "G2-A", "G3-A", "G4-A", "G5-A", "G6-A")
#: Profile per kind when none is named: G1 = weekday business hours 08–18 (offices, schools, city hall),
#: G4 = shops (BDEW G-type definitions).
DEFAULT_PROFILE = {
    "office": "G1-A", "school": "G1-B", "municipal": "G1-A", "retail": "G4-A", "charging_station": "G0-A",
}  # fmt: skip


class BuildingSpec(Spec):
    """One kind of tertiary building (or `count` alike): consumption, PV, EV chargers and what its BEM may shift."""

    name: str = Field(description="Name, e.g. 'City Hall'")
    kind: Literal["office", "school", "municipal", "retail", "charging_station"] = Field(
        description="What the building is (a public EV charging station: chargers and a small own load)"
    )
    count: int = Field(1, ge=1, le=10_000, description="How many such buildings (spread over the substations)")
    profile: str | None = Field(
        None, description=f"SimBench commercial profile ({', '.join(COMMERCIAL_PROFILES)}); default by kind"
    )
    annual_kwh: float = Field(gt=0, le=1e8, description="Annual consumption of one building [kWh/a]")
    substation: int | None = Field(
        None,
        ge=0,
        le=100_000,
        description="Index of the secondary substation it hangs off; default: spread round-robin",
    )
    pv_kwp: float = Field(0.0, ge=0, le=10_000, description="Rooftop PV of one building [kWp]")
    ev_chargers: int = Field(0, ge=0, le=1000, description="EV charge points at one building (staff, fleet)")
    charger_kw: float = Field(11.0, gt=0, le=350, description="Power of each charge point [kW]")
    ev_session_kwh: float = Field(
        12.0, gt=0, le=200, description="Energy per workday charging session (assumption) [kWh]"
    )
    ev_arrival_h: float = Field(8.5, ge=0, lt=24, description="Plug-in hour on workdays (SimBench APLS 07–09 h) [h]")
    ev_departure_h: float = Field(17.5, ge=0, le=24, description="Unplug hour on workdays [h]")
    hvac_share: float = Field(
        0.35, ge=0, le=1, description="Share of the load that is heating, cooling and ventilation (assumption) [-]"
    )
    setback_share: float = Field(
        0.3, ge=0, le=1, description="Share of HVAC power a set-point shift within the comfort band sheds [-]"
    )
    preheat_h: float = Field(
        2.0, ge=0, le=12, description="Hours before a shed period the BEM may pre-heat or pre-cool [h]"
    )
    preheat_loss: float = Field(
        0.1, ge=0, le=1, description="Extra energy pre-conditioning costs over what is shed later (assumption) [-]"
    )
    bem: bool = Field(True, description="Run by a building energy manager (SEMS, seed 000)")
    tariff: str | None = Field(None, description="Tariff in [tariffs] it pays; default: the first retailer's")
    feed_in_eur_per_kwh: float = Field(0.05, ge=0, le=1, description="What exported PV earns (assumption) [€/kWh]")
    power_factor: float = Field(0.95, gt=0.5, le=1, description="Inductive power factor [-]")

    @model_validator(mode="after")
    def _known_profile(self) -> BuildingSpec:
        if self.profile is not None and self.profile not in COMMERCIAL_PROFILES:
            raise ValueError(f"profile: unknown {self.profile!r}; allowed: {', '.join(COMMERCIAL_PROFILES)}")
        if self.ev_departure_h <= self.ev_arrival_h:
            raise ValueError(f"ev_departure_h ({self.ev_departure_h}) must be after ev_arrival_h ({self.ev_arrival_h})")
        return self

    @property
    def profile_name(self) -> str:
        """The SimBench profile it follows."""
        return self.profile or DEFAULT_PROFILE[self.kind]
