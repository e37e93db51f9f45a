"""The scenario: one TOML file that names everything a run needs, validated by pydantic.

`load_scenario(path)` returns a `Scenario` or raises one `ScenarioError` that lists every problem
with its key path, the bad value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tomllib
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator

from agents.batteries.spec import BatterySpec
from agents.buildings.spec import BuildingSpec
from agents.dso.spec import DsoSpec
from agents.evs.spec import EvSpec
from agents.heat_pumps.spec import HeatPumpSpec
from agents.hems.spec import HemsFleetSpec
from agents.households.behaviour import BehaviourSpec
from agents.households.engagement import EngagementSpec
from agents.households.spec import HouseholdsSpec
from agents.retailers.spec import RetailerSpec, RetailSpec
from market.input_file import InputFileError, read_input
from market.spec import Spec, duplicates
from market.tariffs import DynamicTariff, FlatTariff, TariffSpec
from simulator.errors import ScenarioError
from simulator.grid.spec import GridSpec, SyntheticGridSpec
from simulator.kpi.carbon_intensity import CarbonSpec
from simulator.market_link_spec import CityHubSpec
from simulator.results.output_spec import OutputSpec
from simulator.scenario_overrides import described, set_key_paths
from simulator.weather.spec import WeatherSpec


class LocationSpec(Spec):
    """Where the district is: sets the sun for PV."""

    name: str = Field("Lisbon", description="Place name")
    latitude: float = Field(38.72, ge=-90, le=90, description="Latitude [°N]")
    longitude: float = Field(-9.14, ge=-180, le=180, description="Longitude [°E]")
    timezone: str = Field("Europe/Lisbon", description="IANA time zone of the scenario's local clock")

    @field_validator("timezone")
    @classmethod
    def _known_tz(cls, v: str) -> str:
        if v not in _time_zones() or not _pandas_knows(v):
            raise ValueError(f"unknown time zone {v!r} (an IANA name such as 'Europe/Lisbon')")
        return v


@functools.cache
def _time_zones() -> frozenset[str]:
    """IANA time zone names (cached: listing them is ~97 % of validating a scenario)."""
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _pandas_knows(tz: str) -> bool:
    """True if pandas can localise times to `tz` (the system's list holds names pytz lacks, e.g. 'Factory')."""
    try:
        pd.Timestamp("2016-01-01").tz_localize(tz)
    except (KeyError, ValueError):  # pytz's UnknownTimeZoneError is a KeyError
        return False
    return True


#: The earliest and latest start: inside pandas' nanosecond range (1677–2262) with room for a year's run.
EARLIEST_START = dt.datetime(1900, 1, 1)
LATEST_START = dt.datetime(2200, 1, 1)


class BaselineSpec(Spec):
    """The counterfactual: the same households with demand response off, on a flat tariff."""

    tariff: str = Field(description="Name of a flat tariff in [tariffs] that every household pays in the baseline")
    revenue_neutral: tuple[str, ...] = Field(
        (),
        description="Tariffs priced revenue-neutral before the run: their price shape scaled so that, on this "
        "baseline's consumption, they earn what the baseline tariff earns (seed 001; market.tariff_design)",
    )


class Scenario(Spec):
    """A city scenario: time, place, grid, people, retailers and tariffs, DSO limits, expected KPI bands."""

    kind: Literal["city"] = Field("city", description="Scenario kind")
    name: str = Field(description="Short name, used for results directories")
    description: str = Field("", description="What the scenario is for")
    start: dt.datetime = Field(
        description="Start of the run, local time in location.timezone (a date or date-time without a UTC offset, "
        f"{EARLIEST_START:%Y}–{LATEST_START:%Y})"
    )
    horizon_days: float = Field(gt=0, le=366, description="Length of the run [days]")
    step_minutes: int = Field(15, ge=1, le=60, description="Metering interval and model step [min]")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of every random draw in the run")
    location: LocationSpec = Field(default_factory=LocationSpec, description="Where the district is")
    grid: GridSpec = Field(default_factory=SyntheticGridSpec, description="The electricity network")
    households: HouseholdsSpec = Field(default_factory=HouseholdsSpec, description="The household population")
    batteries: BatterySpec = Field(default_factory=BatterySpec, description="Home batteries behind the meter")
    heat_pumps: HeatPumpSpec = Field(default_factory=HeatPumpSpec, description="Heat pumps and 1R1C house models")
    ev: EvSpec = Field(default_factory=EvSpec, description="Electric vehicles charged at home")
    tariffs: dict[str, TariffSpec] = Field(description="Tariffs by name")
    retailers: tuple[RetailerSpec, ...] = Field(min_length=1, description="Retailers and their customer shares")
    retail: RetailSpec = Field(default_factory=RetailSpec, description="The retailers' price signal (a controller)")
    baseline: BaselineSpec = Field(description="The counterfactual baseline")
    dso: DsoSpec = Field(default_factory=DsoSpec, description="DSO limits and how it acts on congestion")
    hub: CityHubSpec | None = Field(
        None, description="The market hub and its network; absent: no hub, the DSO only watches"
    )
    behaviour: BehaviourSpec = Field(default_factory=BehaviourSpec, description="How people respond to prices")
    hems: HemsFleetSpec = Field(
        default_factory=HemsFleetSpec, description="Which HEMS agent class decides (a student's controller)"
    )
    engagement: EngagementSpec = Field(
        default_factory=EngagementSpec, description="Citizen engagement and the levers that raise it"
    )
    scale: float = Field(
        1.0, gt=0, le=1, description="Shrinks the district: substations, MV feeders and building counts × scale [-]"
    )
    buildings: tuple[BuildingSpec, ...] = Field(
        (), description="Tertiary buildings (offices, schools, the municipal building) with their BEM"
    )
    weather: WeatherSpec = Field(
        default_factory=WeatherSpec, description="Where the sun (PV) and the temperature (heating) come from"
    )
    carbon: CarbonSpec = Field(default_factory=CarbonSpec, description="The grid's carbon intensity (CO₂ KPIs)")
    output: OutputSpec = Field(default_factory=OutputSpec, description="Optional outputs and KPI thresholds")
    expect: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="KPI bands that `check` enforces: name = [min, max]"
    )
    provenance: dict[str, str] = Field(
        default_factory=dict, description="Where each number comes from: key path = source or 'assumption: why'"
    )

    @field_validator("start", mode="before")
    @classmethod
    def _date_is_midnight(cls, v: Any) -> Any:
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime.combine(v, dt.time())
        if not isinstance(v, dt.datetime | str):  # pydantic would read a number as a UTC Unix time
            raise ValueError("must be a local date or date-time such as 2016-01-12 or 2016-01-12T08:00:00")
        return v

    @field_validator("start")
    @classmethod
    def _local_and_in_range(cls, v: dt.datetime) -> dt.datetime:
        if v.tzinfo is not None:
            raise ValueError("must be a local time without a UTC offset (the zone is location.timezone)")
        if not EARLIEST_START <= v <= LATEST_START:
            raise ValueError(f"must be between {EARLIEST_START:%Y-%m-%d} and {LATEST_START:%Y-%m-%d}")
        return v

    @field_validator("step_minutes")
    @classmethod
    def _divides_day(cls, v: int) -> int:
        if 1440 % v:
            raise ValueError(f"must divide a day into whole steps, e.g. 5, 10, 15, 30, 60 (got {v})")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = []
        for i, r in enumerate(self.retailers):
            if r.tariff not in self.tariffs:
                problems.append(f"retailers.{i}.tariff: unknown tariff {r.tariff!r}; defined: {sorted(self.tariffs)}")
        if duplicates(r.name for r in self.retailers):
            problems.append(f"retailers: names must be unique (repeated: {duplicates(r.name for r in self.retailers)})")
        if duplicates(self.baseline.revenue_neutral):
            problems.append(f"baseline.revenue_neutral: repeated {duplicates(self.baseline.revenue_neutral)}")
        hub_consent = self.hub.consent_share if self.hub else None  # unset (None) survives a dump and reload
        if hub_consent is not None and hub_consent != self.households.consent_share:
            problems.append(
                f"hub.consent_share: a city run has one consent, households.consent_share "
                f"({self.households.consent_share:g}); drop hub.consent_share (got {hub_consent:g})"
            )
        total = sum(r.customer_share for r in self.retailers)
        if abs(total - 1) > 1e-6:
            problems.append(f"retailers: customer shares must sum to 1 (got {total:g})")
        base = self.tariffs.get(self.baseline.tariff)
        if base is None:
            problems.append(
                f"baseline.tariff: unknown tariff {self.baseline.tariff!r}; defined: {sorted(self.tariffs)}"
            )
        elif not isinstance(base, FlatTariff):
            problems.append(f"baseline.tariff: must name a flat tariff (got kind {base.kind!r})")
        for name in self.baseline.revenue_neutral:
            if name not in self.tariffs or name == self.baseline.tariff:
                others = sorted(set(self.tariffs) - {self.baseline.tariff})
                problems.append(f"baseline.revenue_neutral: {name!r} is not a tariff to design; defined: {others}")
        for i, b in enumerate(self.buildings):
            if b.tariff is not None and b.tariff not in self.tariffs:
                problems.append(f"buildings.{i}.tariff: unknown tariff {b.tariff!r}; defined: {sorted(self.tariffs)}")
        for kpi, (low, high) in self.expect.items():
            if low > high:
                problems.append(f"expect.{kpi}: band [min, max] has min > max ({low} > {high})")
        if (self.horizon_days * 1440) % self.step_minutes:
            problems.append("horizon_days: must be a whole number of steps")
        end = self.start + dt.timedelta(days=self.horizon_days)
        for name, tariff in self.tariffs.items():
            if isinstance(tariff, DynamicTariff) and not tariff.covers(self.start, end):
                problems.append(f"tariffs.{name}.csv: {tariff.csv} does not cover {self.start} … {end}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def fingerprint(self) -> str:
        """SHA-256 of the scenario's canonical JSON: equal for equal scenarios (recorded in a run's meta.json)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    @property
    def n_steps(self) -> int:
        """Number of model steps in the horizon."""
        return round(self.horizon_days * 1440 / self.step_minutes)

    @property
    def step_s(self) -> float:
        """Step length in seconds."""
        return self.step_minutes * 60.0

    @property
    def step_h(self) -> float:
        """Step length in hours (kW × step_h = kWh)."""
        return self.step_minutes / 60.0

    @property
    def steps_per_day(self) -> int:
        """Steps in one day."""
        return 1440 // self.step_minutes

    def times(self) -> pd.DatetimeIndex:
        """Start time of every step, local time."""
        return pd.date_range(self.start, periods=self.n_steps, freq=f"{self.step_minutes}min")


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Read and validate a scenario file; `overrides` sets keys by dotted path (`{"households.hems_share": 0.3}`).

    A relative `path` is relative to the working directory; data files it names are relative to the file.
    """
    path = Path(path)
    data = set_key_paths(read_toml(path), overrides or {}, str(path))
    return scenario_from_dict(data, source=described(str(path), overrides or {}), base_dir=path.parent)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file into a dict, or raise a `ScenarioError` naming the line."""
    try:
        text = read_input(path).decode("utf-8")
        return tomllib.loads(text)
    except InputFileError as exc:
        raise ScenarioError(str(path), [str(exc)]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [f"not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ScenarioError(str(path), ["not valid TOML: arrays or tables nested too deeply"]) from None


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate a scenario given as a dict (as read from TOML); data files are relative to `base_dir`."""
    kind = data.get("kind", "city") if isinstance(data, dict) else None
    if kind != "city":
        raise ScenarioError(source, [f"kind: this loader reads city scenarios (got {kind!r})"])
    try:
        return Scenario.model_validate(data, context={"base_dir": base_dir} if base_dir is not None else None)
    except ValidationError as exc:
        raise ScenarioError(source, validation_problems(exc)) from None


def validation_problems(exc: ValidationError) -> list[str]:
    """Turn pydantic's errors into `key.path: message (got value)` lines."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
        msg = err["msg"].removeprefix("Value error, ")
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) or err["type"] == "missing" else f" (got {_short(got)})"
        problems.append(f"{loc or '<top level>'}: {msg}{shown}")
    return problems


def _short(value: Any, limit: int = 80) -> str:
    """`repr(value)` cut to `limit` characters, so one bad value stays one line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def scenario_to_toml(scenario: Scenario) -> str:
    """The resolved scenario (every default filled in) as TOML text."""
    import tomli_w

    return tomli_w.dumps(scenario.model_dump(mode="json", exclude_none=True))
