"""Scenario sections that describe the people: `[households]`, its appliances, PV, meter data and heating.

Defaults are assumptions unless a comment names a source (see ../shared/DOMAIN.md); scenarios
that replay a pilot override them and say where their numbers come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from market.spec import Share, Spec, duplicates
from market.tariff_power import ContractedPowerSpec

SIMBENCH_HOUSEHOLD_PROFILES = ("H0-A", "H0-B", "H0-C", "H0-G", "H0-H", "H0-L")
APPLIANCES = ("washing_machine", "dishwasher", "dryer", "water_heater")
#: Portugal's social electricity tariff (tarifa social): 730,127 beneficiaries in Q4 2025 (DGEG, "Boletim
#: Trimestral da Tarifa Social de Energia", 4.º trimestre 2025) over about 4.15 M private households (INE,
#: Census 2021; household count not verified here) ≈ 17.6 %. Eligibility is low income or social benefits
#: (Decreto-Lei 100/2020 via RTP, Aug 2022); ERSE counted 806,000 beneficiaries at the end of 2021.
SOCIAL_TARIFF_SHARE = 0.176


class ApplianceSpec(Spec):
    """A flexible appliance: a fixed-power cycle started once the user loads it, to finish within a window."""

    share: float = Field(ge=0, le=1, description="Share of households that own one")
    cycles_per_week: float = Field(ge=0, le=14, description="Mean cycles a week (at most one a day is drawn)")
    power_kw: float = Field(gt=0, le=10, description="Electric power while running [kW]")
    duration_min: int = Field(gt=0, le=720, description="Cycle duration [min]")
    preferred_start_h: float = Field(ge=0, lt=24, description="Mean clock hour the user starts it by hand [h]")
    preferred_start_sd_h: float = Field(ge=0, le=6, description="Spread of the preferred start [h]")
    flexibility_h: float = Field(
        ge=0, le=24, description="How flexible: hours from the preferred start to the latest finish [h]"
    )

    @property
    def energy_kwh(self) -> float:
        """Energy of one cycle."""
        return self.power_kw * self.duration_min / 60


# Cycle energies and times below are assumptions (typical EU appliances), not pilot numbers.
DEFAULT_APPLIANCES: dict[str, ApplianceSpec] = {
    "washing_machine": ApplianceSpec(
        share=0.9, cycles_per_week=3.5, power_kw=0.8, duration_min=90,
        preferred_start_h=19.0, preferred_start_sd_h=2.0, flexibility_h=12.0,
    ),
    "dishwasher": ApplianceSpec(
        share=0.5, cycles_per_week=4.0, power_kw=0.8, duration_min=90,
        preferred_start_h=21.0, preferred_start_sd_h=1.5, flexibility_h=10.0,
    ),
    "dryer": ApplianceSpec(
        share=0.25, cycles_per_week=2.0, power_kw=2.0, duration_min=90,
        preferred_start_h=20.0, preferred_start_sd_h=2.0, flexibility_h=8.0,
    ),
    "water_heater": ApplianceSpec(
        share=0.3, cycles_per_week=7.0, power_kw=1.5, duration_min=120,
        preferred_start_h=18.5, preferred_start_sd_h=1.5, flexibility_h=12.0,
    ),
}  # fmt: skip


class PvSpec(Spec):
    """Rooftop PV: who has it, how big, and how its output is modelled."""

    share: float = Field(0.0, ge=0, le=1, description="Share of households with rooftop PV")
    kwp_min: float = Field(1.5, gt=0, le=50, description="Smallest system [kWp]")
    kwp_max: float = Field(4.5, gt=0, le=50, description="Largest system [kWp] (uniform between min and max)")
    tilt_deg: float = Field(30.0, ge=0, le=90, description="Module tilt [°]")
    azimuth_deg: float = Field(180.0, ge=0, lt=360, description="Module azimuth, 180 = south [°]")
    model: Literal["weather", "clearsky", "simbench"] = Field(
        "weather",
        description="weather: irradiance from [weather] (a calibrated daily clear-sky index, or a weather file) at "
        "the scenario's location; clearsky: pvlib clear sky × clear_sky_derate every day; simbench: a SimBench shape",
    )
    clear_sky_derate: float = Field(
        0.75,
        gt=0,
        le=1,
        description="Clear-sky output × this factor (clouds and system losses; assumption) [-]",
    )

    @model_validator(mode="after")
    def _ordered(self) -> PvSpec:
        if self.kwp_max < self.kwp_min:
            raise ValueError(f"kwp_max ({self.kwp_max}) must be >= kwp_min ({self.kwp_min})")
        return self


class MeterDataSpec(Spec):
    """Measured consumption from smart meters (CSV `meter_id,timestamp,energy_kwh`) driving some households."""

    file: Path = Field(description="CSV file meter_id,timestamp,energy_kwh (relative to the scenario file)")
    policy: Literal["profile", "interpolate", "drop"] = Field(
        "profile",
        description="Missing data: fill from the household's scaled standard profile, interpolate short gaps "
        "(longer ones drop the household), or drop every household with a gap",
    )
    interpolate_max_gap_min: int = Field(
        60, ge=1, le=1440, description="Longest gap the 'interpolate' policy fills [min]"
    )
    lenient: bool = Field(False, description="Skip and count malformed rows instead of stopping the import")

    @field_validator("file")
    @classmethod
    def _resolve(cls, v: Path, info: ValidationInfo) -> Path:
        base = (info.context or {}).get("base_dir")
        return (Path(base) / v).resolve() if base is not None and not v.is_absolute() else v


#: SimBench heat-pump load profiles (15-minute, max-normalised, in the wheel's LoadProfile.csv). In winter they
#: peak at 19 h; they keep a German utility's blocking hours (no heat-pump power around 08 and 17 h).
HEATING_PROFILES = (
    "Air_Alternative_1", "Air_Parallel_1", "Air_Semi-Parallel_1", "Soil_Alternative_1",
    "Air_Alternative_2", "Air_Parallel_2", "Air_Semi-Parallel_2", "Soil_Alternative_2",
)  # fmt: skip


class ElectricHeatingSpec(Spec):
    """Electric space heating in part of the homes: a SimBench heat-pump shape on top of the household load."""

    share: float = Field(0.0, ge=0, le=1, description="Share of households heated electrically [-]")
    annual_kwh: float = Field(
        4000.0, gt=0, le=50000, description="Heating electricity of one heated home in a year (assumption) [kWh/a]"
    )
    profiles: tuple[str, ...] = Field(
        HEATING_PROFILES, min_length=1, description="SimBench heat-pump profiles heated homes are spread over"
    )
    source: str = Field("assumption", description="Where the share and energy come from, or why they are assumed")

    @model_validator(mode="after")
    def _known_profiles(self) -> ElectricHeatingSpec:
        unknown = sorted(set(self.profiles) - set(HEATING_PROFILES))
        if unknown:
            raise ValueError(f"profiles: unknown {unknown}; allowed: {', '.join(HEATING_PROFILES)}")
        if duplicates(self.profiles):
            raise ValueError(f"profiles: each profile at most once (repeated: {duplicates(self.profiles)})")
        return self


class HouseholdsSpec(Spec):
    """The household population: consumption, standard profiles, PV, HEMS and flexible appliances."""

    annual_kwh_median: float = Field(
        2700.0, gt=100, le=50000, description="Median annual consumption (lognormal) [kWh/a]"
    )
    annual_kwh_sigma: float = Field(0.45, ge=0, le=2, description="Lognormal sigma of annual consumption [-]")
    profile_mix: dict[str, Share] = Field(
        default_factory=lambda: dict.fromkeys(SIMBENCH_HOUSEHOLD_PROFILES, 1 / 6),
        description="Share of each SimBench household profile type (H0-A … H0-L)",
    )
    profile_noise_sigma: float = Field(
        0.15, ge=0, le=1, description="Per-household, per-step multiplicative noise on the base load [-]"
    )
    profile_shift_max_steps: int = Field(
        3, ge=0, le=12, description="Each household's profile is shifted by up to ± this many steps [steps]"
    )
    power_factor: float = Field(0.95, gt=0.5, le=1, description="Inductive power factor of household load [-]")
    hems_share: float = Field(0.0, ge=0, le=1, description="Share of households with a HEMS")
    pv: PvSpec = Field(default_factory=PvSpec, description="Rooftop PV")
    appliances: dict[str, ApplianceSpec] = Field(
        default_factory=lambda: dict(DEFAULT_APPLIANCES),
        description=f"Flexible appliances by kind ({', '.join(APPLIANCES)})",
    )
    meter_data: MeterDataSpec | None = Field(
        None, description="Smart-meter data that drives the households whose meter ids it names"
    )
    consent_share: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of households that consent to per-household data use and export; "
        "the others appear in aggregates only [-]",
    )
    social_tariff_share: float = Field(
        SOCIAL_TARIFF_SHARE,
        ge=0,
        le=1,
        description="Share of households that are economically vulnerable (on Portugal's social electricity "
        "tariff); a grouping for who pays, drawn at random independently of consumption [-]",
    )
    contracted_power: ContractedPowerSpec = Field(
        default_factory=ContractedPowerSpec, description="Contracted power levels and the meter's limit"
    )
    electric_heating: ElectricHeatingSpec = Field(
        default_factory=ElectricHeatingSpec, description="Electric space heating (winter-peaking districts)"
    )

    @model_validator(mode="after")
    def _known_names(self) -> HouseholdsSpec:
        unknown = set(self.profile_mix) - set(SIMBENCH_HOUSEHOLD_PROFILES)
        if unknown:
            raise ValueError(
                f"profile_mix: unknown profile(s) {sorted(unknown)}; allowed: {SIMBENCH_HOUSEHOLD_PROFILES}"
            )
        if abs(sum(self.profile_mix.values()) - 1) > 1e-6 or min(self.profile_mix.values()) < 0:
            raise ValueError(f"profile_mix: shares must be >= 0 and sum to 1 (got {sum(self.profile_mix.values())})")
        unknown = set(self.appliances) - set(APPLIANCES)
        if unknown:
            raise ValueError(f"appliances: unknown kind(s) {sorted(unknown)}; allowed: {APPLIANCES}")
        return self
