"""The evidence register: one TOML file per published study under `evidence/`, checked against a schema.

Each file holds the study's design (tariff, price ratio, the levers it used, population, enrolment,
season, duration), its published effect sizes with their intervals and where in the source they
stand, and the study's role: `fit` (the behaviour parameters are fitted on it), `validate` (held out:
the model must reproduce it without having seen it) or `context` (kept for the record, used for
neither, with the reason). An effect whose number could not be checked against its source carries
`verified = false` and is used for neither fit nor validation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from market.spec import Spec
from simulator.errors import CityflexError

REGISTER_DIR = Path(__file__).resolve().parent.parent.parent / "evidence"

Tariff = Literal["flat", "tou", "cpp", "ptr", "vpp"]
Metric = Literal["consumption_reduction_pct", "peak_reduction_pct", "annual_decay_pct"]
Subgroup = Literal["all", "top_decile_usage", "bottom_decile_usage"]


class RegisterError(CityflexError):
    """A register file is unreadable or invalid; the message names the file and every bad key."""


class Design(Spec):
    """What was done to whom, for how long: the levers and the population of a study (or of one arm)."""

    tariff: Tariff = Field("flat", description="Price design the treated homes were on")
    peak_offpeak_ratio: float = Field(
        1.0, ge=1, le=50, description="Price in the measured window / off-peak price (CPP, PTR: on event days) [-]"
    )
    ratio_basis: str = Field(
        "no price signal", description="Where the ratio comes from: the published prices, or 'assumed: why'"
    )
    peak_hours: float = Field(
        0,
        ge=0,
        le=24,
        description="Hours of a priced day in the peak window (shoulders weighted by their price)"
        " over which the peak cut is made; 0: not given, the price cut then changes no total [h]",
    )
    peak_hours_basis: str = Field(
        "", description="Where peak_hours comes from: the published tariff, or 'assumed: why'"
    )
    events: int = Field(0, ge=0, le=200, description="Event days in the season (CPP, PTR)")
    enabling_technology: bool = Field(
        False, description="A HEMS, programmable communicating thermostat or load switch acts on prices"
    )
    in_home_display: bool = Field(False, description="Real-time feedback on a display in the home")
    feedback_period_days: float = Field(
        0, ge=0, le=366, description="Days between usage statements or feedback reports; 0: none [d]"
    )
    peer_report_period_days: float = Field(
        0, ge=0, le=366, description="Days between peer-comparison reports; 0: none [d]"
    )
    peer_injunctive: bool = Field(
        True, description="Reports praise low users (the 'smiley'), which holds off the boomerang"
    )
    target_pct: float = Field(0, ge=0, le=60, description="Reduction target the homes were asked to reach [%]")
    enrolment: Literal["opt_in", "default", "assigned"] = Field(
        "assigned", description="Volunteers (opt-in), defaulted with opt-out, or assigned without asking (RCT)"
    )
    population: str = Field("", description="Who took part, where")
    season: Literal["summer", "winter", "all_year"] = Field("all_year", description="Season the effect is for")
    duration_days: int = Field(365, ge=1, le=3650, description="Days of treatment [d]")
    followup_days: int = Field(0, ge=0, le=3650, description="Days observed after the treatment stopped [d]")
    measure_from_day: int = Field(0, ge=0, le=3650, description="First day of the measurement window [d]")
    households: int = Field(0, ge=0, description="Treated households in the study (0: not published)")


class Effect(Spec):
    """One published effect size: metric, subgroup, point estimate, interval, where it stands, verification."""

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Name of the effect within the study")
    metric: Metric
    subgroup: Subgroup = "all"
    design: dict[str, object] = Field(
        default_factory=dict, description="Keys of the study's [design] that differ in this arm"
    )
    mix: list[dict[str, object]] = Field(
        default_factory=list, description="Equal-weight arms whose mean the published figure is (each: design keys)"
    )
    relative_to: dict[str, object] | None = Field(
        None, description="Design keys of a reference arm: the figure is this arm's effect in % of the reference's"
    )
    modelled: bool = Field(True, description="False: the effect's lever is not in the model; kept, never simulated")
    point: float = Field(description="Published point estimate [% or %/a]")
    low: float | None = Field(None, description="Lower end of the published interval")
    high: float | None = Field(None, description="Upper end of the published interval")
    interval: str = Field("none published", description="What the interval is (95 % CI, range across programmes…)")
    location: str = Field(description="Where in the source: table, page, abstract")
    verified: bool = Field(description="The number was checked against the source (or a faithful copy of it)")
    note: str = ""

    @model_validator(mode="after")
    def _interval(self) -> Effect:
        if not self.verified and not self.note:
            raise ValueError("an unverified effect needs a note saying why it could not be checked")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.low is not None and not (self.low <= self.point <= self.high):
            raise ValueError(f"point {self.point} must lie in [low, high] = [{self.low}, {self.high}]")
        return self

    def arms(self, base: Design) -> list[Design]:
        """The designs simulated for this effect: the study's design with this effect's overrides (and its mix)."""
        own = {**base.model_dump(), **self.design}
        return [Design.model_validate({**own, **part}) for part in (self.mix or [{}])]

    def reference(self, base: Design) -> Design | None:
        """The reference arm of a relative figure, or None."""
        if self.relative_to is None:
            return None
        return Design.model_validate({**base.model_dump(), **self.design, **self.relative_to})


class Study(Spec):
    """A published study: its source, design, effects and role in the fit."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    authors: list[str] = Field(min_length=1)
    venue: str
    year: int = Field(ge=1970, le=2030)
    url: str
    checked: str = Field(description="How and where the numbers were checked")
    role: Literal["fit", "validate", "context"]
    role_reason: str = Field(min_length=10, description="Why the study is fitted on, held out, or only context")
    model_gaps: str = Field(
        "", description="What the study had that the model leaves out (why a held-out effect may be missed)"
    )
    design: Design
    effects: list[Effect] = Field(min_length=1)

    @model_validator(mode="after")
    def _effects(self) -> Study:
        ids = [e.id for e in self.effects]
        if len(set(ids)) != len(ids):
            raise ValueError(f"effect ids must be unique (got {ids})")
        for e in self.effects:
            for arm in e.arms(self.design):  # every arm override must be a valid design
                if e.metric == "consumption_reduction_pct" and arm.tariff != "flat" and arm.peak_hours <= 0:
                    raise ValueError(
                        f"effect {e.id!r}: an overall effect under a {arm.tariff!r} tariff needs design.peak_hours"
                        " (hours of the peak window, with peak_hours_basis), else its peak cut would change no total"
                    )
            e.reference(self.design)
        if self.role != "context" and not self.used_effects:
            raise ValueError(f"role {self.role!r} needs at least one verified effect")
        return self

    @property
    def used_effects(self) -> list[Effect]:
        """Effects that enter the fit or the validation: the verified ones whose lever the model has."""
        return [e for e in self.effects if e.verified and e.modelled]


def load_study(path: Path) -> Study:
    """Read and check one register file; a bad file raises `RegisterError` naming it and every problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RegisterError(f"{path}: cannot read ({exc})") from exc
    try:
        study = Study.model_validate(data)
    except ValidationError as exc:
        problems = "\n".join(
            f"  - {'.'.join(str(p) for p in e['loc']) or '(file)'}: {e['msg']} (got {_short(e.get('input'))})"
            for e in exc.errors()
        )
        raise RegisterError(f"{path}: invalid study:\n{problems}") from None
    if study.id != path.stem:
        raise RegisterError(f"{path}: id {study.id!r} must equal the file name {path.stem!r}")
    return study


def load_register(directory: Path = REGISTER_DIR) -> list[Study]:
    """Every study of the register, sorted by id; an empty or missing directory is an error."""
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if not files:
        raise RegisterError(f"{directory}: no study files (*.toml) found")
    return [load_study(f) for f in files]


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
