"""The sweep file: a base scenario, the parameters to vary, the design and the KPIs to collect.

A sweep TOML reads::

    base = "../quickstart.toml"          # relative to the sweep file
    design = "grid"                      # or "lhs" with samples = N (and design_seed)
    kpis = ["peak_reduction_pct", "bill_change_mean_eur"]
    seeds = {count = 2}                  # or a list; replicates crossed with the design

    [parameters]                         # dotted key paths into the scenario, quoted or as TOML dotted keys
    "households.hems_share" = [0.0, 0.35, 0.7]                        # a list
    "tariffs.bi_horario.energy_eur_per_kwh.vazio" = {start = 0.06, stop = 0.12, step = 0.02}
    "ev.share" = {start = 0.0, stop = 0.3, num = 4}                   # linspace
    "households.pv.share" = {min = 0.0, max = 0.5}                    # an interval: design = "lhs" only

Every field is strict (an unknown key is an error) and described; `simulator.sweep.design` checks
the key paths against the base scenario and expands the design into runs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    field_validator,
    model_validator,
)

from market.spec import Spec
from simulator.errors import CityflexError, ScenarioError
from simulator.kpi.registry import KPIS

MAX_VALUES = 10_000  # values one parameter may take (guards against a range with a tiny step)
MAX_RUNS = 100_000  # runs one sweep may expand to
SEED_KEY = "seed"
KEY_PATH = r"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$"


def _scalar(value: Any) -> Any:
    """A value a parameter can take: a boolean, a whole or finite number, a string or a date."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if not isinstance(value, bool | int | float | str | dt.date):
        raise ValueError("must be a number, string, boolean or date")
    return value


Scalar = Annotated[Any, AfterValidator(_scalar)]
Number = Annotated[float, Field(allow_inf_nan=False)] | int


class SweepSpecError(ScenarioError):
    """A sweep file is invalid; the message names the file and lists every problem with its key path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        bullet = "\n".join(f"  - {p}" for p in problems)
        CityflexError.__init__(self, f"{source}: invalid sweep ({len(problems)} problem(s)):\n{bullet}")


def _one_kind(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Check a list holds one kind of value (numbers, strings, booleans or dates) and no duplicates."""
    kinds = {_kind(v) for v in values}
    if len(kinds) > 1:
        raise ValueError(f"values must all be of one kind (numbers, strings, booleans or dates); got {sorted(kinds)}")
    if kinds == {"number"} and any(isinstance(v, float) for v in values):
        values = tuple(float(v) for v in values)
    values = tuple(v.isoformat() if isinstance(v, dt.date) else v for v in values)
    if len(set(values)) != len(values):
        raise ValueError(f"values must be distinct (got {list(values)})")
    return values


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "date" if isinstance(value, dt.date) else "string"


ValueList = Annotated[
    tuple[Scalar, ...],
    Field(min_length=1, max_length=MAX_VALUES, description="Explicit values, one run (per combination) each"),
    AfterValidator(_one_kind),
]


class RangeParam(Spec):
    """Evenly stepped values from `start` to `stop` (included when a step lands on it), like numpy's arange."""

    start: Number = Field(description="First value")
    stop: Number = Field(description="Last value (included when start + k × step reaches it)")
    step: Number = Field(description="Step between values (non-zero, towards stop)")

    @model_validator(mode="after")
    def _finite_count(self) -> RangeParam:
        if self.step == 0:
            raise ValueError("step: must not be 0")
        span = self.stop - self.start
        if span * self.step < 0:
            raise ValueError(f"step: must go from start towards stop ({self.start} → {self.stop}; got {self.step})")
        if not math.isfinite(span / self.step) or span / self.step + 1 > MAX_VALUES:
            raise ValueError(f"gives more than {MAX_VALUES} values; use a larger step")
        return self

    def values(self) -> tuple[Any, ...]:
        """The values, rounded to 12 significant digits so 0.1 × 3 reads 0.3."""
        n = math.floor((self.stop - self.start) / self.step + 1e-9) + 1
        if all(isinstance(x, int) for x in (self.start, self.stop, self.step)):
            return tuple(self.start + i * self.step for i in range(n))
        return tuple(float(f"{self.start + i * self.step:.12g}") for i in range(n))


class LinspaceParam(Spec):
    """`num` evenly spaced values from `start` to `stop`, both included, like numpy's linspace."""

    start: Number = Field(description="First value")
    stop: Number = Field(description="Last value")
    num: int = Field(ge=1, le=MAX_VALUES, description="How many values")

    def values(self) -> tuple[Any, ...]:
        """The values, rounded to 12 significant digits."""
        if self.num == 1:
            return (float(self.start),)
        step = (self.stop - self.start) / (self.num - 1)
        return tuple(float(f"{self.start + i * step:.12g}") for i in range(self.num))


class IntervalParam(Spec):
    """A continuous interval [min, max] that a Latin hypercube samples (design = "lhs" only)."""

    min: Number = Field(description="Lower bound")
    max: Number = Field(description="Upper bound (> min)")

    @model_validator(mode="after")
    def _ordered(self) -> IntervalParam:
        if not self.max > self.min:
            raise ValueError(f"max must be greater than min (got min={self.min}, max={self.max})")
        return self


class SeedCount(Spec):
    """`count` consecutive seeds starting at `first`: replicates of every design point."""

    count: int = Field(ge=1, le=MAX_VALUES, description="How many seeds")
    first: int = Field(0, ge=0, le=2**63 - 1 - MAX_VALUES, description="The first seed")

    def values(self) -> tuple[int, ...]:
        """The seeds."""
        return tuple(range(self.first, self.first + self.count))


FORM_KEYS = {"range": {"step"}, "linspace": {"num"}, "interval": {"min", "max"}, "seeds": {"count"}}
ALL_FORM_KEYS = {"start", "stop", "step", "num", "min", "max", "count", "first"}


def _form(value: Any) -> str | None:
    """Which parameter form a TOML value is: a list, or a table recognised by its keys."""
    if isinstance(value, list | tuple):
        return "values"
    if not isinstance(value, dict):
        return None
    for form, keys in FORM_KEYS.items():
        if keys & set(value):
            return form
    return None


Parameter = Annotated[
    Annotated[ValueList, Tag("values")]
    | Annotated[RangeParam, Tag("range")]
    | Annotated[LinspaceParam, Tag("linspace")]
    | Annotated[IntervalParam, Tag("interval")]
    | Annotated[SeedCount, Tag("seeds")],
    Discriminator(
        _form,
        custom_error_type="parameter_form",
        custom_error_message=(
            "must be a list of values, {start, stop, step}, {start, stop, num}, "
            "{min, max} (lhs) or {count, first} (seeds)"
        ),
    ),
]


Seeds = Annotated[
    Annotated[
        tuple[Annotated[StrictInt, Field(ge=0, le=2**63 - 1)], ...],
        Field(min_length=1),
        AfterValidator(_one_kind),
        Tag("values"),
    ]
    | Annotated[SeedCount, Tag("seeds")],
    Discriminator(
        _form, custom_error_type="seeds_form", custom_error_message="must be a list of seeds or {count, first}"
    ),
]


def _key_path(key: str) -> str:
    if not re.fullmatch(KEY_PATH, key):
        raise ValueError(f"{key!r} is not a dotted key path (segments of letters, digits, _ and -, joined by dots)")
    return key


KeyPath = Annotated[str, AfterValidator(_key_path)]
TAGS = ("values", "range", "linspace", "interval", "seeds")


def values_of(param: Any) -> tuple[Any, ...]:
    """The discrete values of a parameter (a list, range, linspace or seed count); intervals have none."""
    return param if isinstance(param, tuple) else param.values()


class SweepSpec(Spec):
    """A sweep: runs of one base scenario with parameters varied on a full grid or a Latin hypercube."""

    name: str = Field("", description="Short name, used for the output directory (default: the sweep file's name)")
    description: str = Field("", description="What the sweep asks")
    base: str = Field(min_length=1, description="Path to the base scenario TOML, relative to the sweep file")
    design: Literal["grid", "lhs"] = Field(
        "grid", description="'grid': every combination of the values; 'lhs': a Latin hypercube of `samples` points"
    )
    samples: int | None = Field(None, ge=1, le=MAX_RUNS, description="Latin hypercube points (design = 'lhs' only)")
    design_seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the Latin hypercube draw (numpy Generator)")
    seeds: Seeds | None = Field(
        None, description="Scenario seeds: a list or {count, first}; every design point runs once per seed"
    )
    parameters: dict[KeyPath, Parameter] = Field(
        default_factory=dict, description="Scenario key path (e.g. 'households.hems_share') = values to try"
    )
    kpis: tuple[str, ...] = Field(
        tuple(KPIS), min_length=1, description="KPIs to collect in sweep.parquet (default: every KPI)"
    )

    @field_validator("parameters", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        return flatten_parameters(value) if isinstance(value, dict) else value

    @field_validator("parameters")
    @classmethod
    def _seed_counts(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, param in value.items():
            if isinstance(param, SeedCount) and key != SEED_KEY:
                raise ValueError(f"{key}: {{count, first}} is for '{SEED_KEY}' only; use a list or a range")
        return value

    @field_validator("kpis")
    @classmethod
    def _known_kpis(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in KPIS]
        if unknown:
            raise ValueError(f"unknown KPI(s) {unknown}; known: {', '.join(KPIS)}")
        if len(set(value)) != len(value):
            raise ValueError("each KPI once")
        return value

    @model_validator(mode="after")
    def _design_fits(self) -> SweepSpec:
        problems = []
        if self.seeds is not None and SEED_KEY in self.parameters:
            problems.append("seeds: give the seeds once, either as `seeds` or as parameters.seed")
        if self.design == "lhs" and self.samples is None:
            problems.append("samples: design = 'lhs' needs the number of samples")
        if self.design == "grid" and self.samples is not None:
            problems.append("samples: only for design = 'lhs'")
        for key, param in self.parameters.items():
            if self.design == "grid" and isinstance(param, IntervalParam):
                problems.append(f"parameters.{key}: an interval {{min, max}} needs design = 'lhs'; give values")
        if not self.parameters and self.seeds is None:
            problems.append("parameters: nothing to vary (give [parameters] or seeds)")
        if not problems and self.run_count() > MAX_RUNS:  # counted, never built: 10k × 10k must not fill memory
            problems.append(f"the design has {self.run_count():,} runs; at most {MAX_RUNS:,}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def run_count(self) -> int:
        """How many runs the design expands to, counted without building them."""
        points = (
            (self.samples or 0)
            if self.design == "lhs"
            else math.prod(len(values_of(p)) for p in self.varied().values())
        )
        seeds = self.seed_values()
        return points * (1 if seeds is None else len(seeds))

    def seed_values(self) -> tuple[int, ...] | None:
        """The scenario seeds to replicate every design point with, or None to keep the base scenario's."""
        seeds = self.parameters.get(SEED_KEY, self.seeds)
        return None if seeds is None else tuple(values_of(seeds))

    def varied(self) -> dict[str, Any]:
        """The parameters other than the seed, in file order."""
        return {k: v for k, v in self.parameters.items() if k != SEED_KEY}


def flatten_parameters(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn TOML dotted keys (`households.hems_share = [...]`, nested tables) into flat `a.b.c` keys."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        nested = isinstance(value, dict) and not (
            set(value) <= ALL_FORM_KEYS and all(not isinstance(v, dict | list) for v in value.values())
        )
        if nested and value:
            flat.update(flatten_parameters(value, f"{path}."))
        else:
            flat[path] = value
    return flat
