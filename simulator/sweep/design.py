"""From a sweep file to its runs: parse, check key paths against the base scenario, expand, validate.

`load_sweep(path)` returns a `SweepPlan` (one `PlannedRun` per run, in design order) or raises one
`SweepSpecError` that names the file and lists every problem: a bad key path, a bad range, or a
value (or a run's combination of values) that makes the base scenario invalid.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from simulator.errors import ScenarioError
from simulator.scenario import Scenario, load_scenario, read_toml, scenario_from_dict
from simulator.sweep.spec import MAX_RUNS, SEED_KEY, TAGS, IntervalParam, SweepSpec, SweepSpecError, values_of

MAX_LISTED = 20  # problems listed before "… and N more"


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sweep: its place in the design, its id, the values it sets and the resolved scenario."""

    index: int
    run_id: str
    params: dict[str, Any]
    scenario: Scenario

    def label(self) -> str:
        """`run <id> (key=value, …)`, for messages."""
        return f"run {self.run_id} ({', '.join(f'{k}={v!r}' for k, v in self.params.items())})"


@dataclass(frozen=True)
class SweepPlan:
    """A parsed sweep: its spec, its file, the base scenario and every run in design order."""

    spec: SweepSpec
    source: Path
    base: Scenario
    runs: tuple[PlannedRun, ...]

    @property
    def name(self) -> str:
        """The sweep's name: `name` from the file, else the file's stem."""
        return self.spec.name or self.source.stem

    @property
    def parameter_keys(self) -> list[str]:
        """The varied key paths, seed last when seeds are varied: the parameter columns of sweep.parquet."""
        seeds = [SEED_KEY] if self.spec.seed_values() is not None else []
        return [*self.spec.varied(), *seeds]


def parse_sweep(data: Any, source: str = "<sweep>") -> SweepSpec:
    """Validate a sweep given as a dict (as read from TOML); raise `SweepSpecError` on any problem."""
    if not isinstance(data, dict):
        raise SweepSpecError(source, [f"<top level>: must be a table (got {type(data).__name__})"])
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise SweepSpecError(source, sweep_problems(exc)) from None


def sweep_problems(exc: ValidationError) -> list[str]:
    """Pydantic's errors as `key.path: message (got value)` lines, without the names of the parameter forms."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union"))]
        tag_at = {"parameters": 2, "seeds": 1}.get(loc[0] if loc else "")
        if tag_at is not None and len(loc) > tag_at and loc[tag_at] in TAGS:
            del loc[tag_at]
        if loc[-1:] == ["[key]"]:
            loc = loc[:1]  # a bad key path: the message quotes it
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) or err["type"] == "missing" else f" (got {got!r})"
        message = err["msg"].removeprefix("Value error, ")
        problems.append(f"{'.'.join(loc)}: {message}{shown}" if loc else message)  # a model check names its keys
    return problems


def load_sweep(path: str | Path) -> SweepPlan:
    """Read a sweep file, load its base scenario and expand the design into validated runs."""
    path = Path(path)
    spec = parse_sweep(read_toml(path), str(path))
    base_path = (path.parent / spec.base).resolve()
    if not base_path.is_file():
        raise SweepSpecError(str(path), [f"base: scenario file not found: {base_path} (got {spec.base!r})"])
    base = load_scenario(base_path)
    dump = base.model_dump(mode="json")
    problems = [p for key in spec.varied() if (p := key_path_problem(dump, key))]
    if not problems:
        problems = _value_problems(spec, base)
    if problems:
        raise SweepSpecError(str(path), _capped(problems))
    points = design_points(spec)
    if len(points) > MAX_RUNS:
        raise SweepSpecError(str(path), [f"the design has {len(points)} runs; at most {MAX_RUNS}"])
    runs, problems = _resolve(points, base)
    if problems:
        raise SweepSpecError(str(path), _capped(problems))
    return SweepPlan(spec=spec, source=path, base=base, runs=tuple(runs))


def key_path_problem(dump: dict[str, Any], key: str) -> str | None:
    """Why `key` names no value of the scenario `dump` (a `model_dump`), or None when it does."""
    node: Any = dump
    for depth, segment in enumerate(key.split(".")):
        where = ".".join(key.split(".")[:depth]) or "the scenario"
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        elif isinstance(node, dict):
            return f"parameters.{key}: no key {segment!r} in {where}; it has: {', '.join(map(str, node))}"
        elif isinstance(node, list):
            return f"parameters.{key}: {where} is a list of {len(node)}; {segment!r} is not an index"
        else:
            return f"parameters.{key}: {where} is a value, not a table (cannot go into {segment!r})"
    if isinstance(node, dict | list):
        return f"parameters.{key}: names a whole table; vary one of its values (e.g. {key}.{next(iter(node), 0)})"
    return None


def with_overrides(dump: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """A copy of the scenario `dump` with every `key.path = value` of `params` set."""
    data = copy.deepcopy(dump)
    for key, value in params.items():
        *parents, leaf = key.split(".")
        node: Any = data
        for segment in parents:
            node = node[int(segment)] if isinstance(node, list) else node.setdefault(segment, {})
        if isinstance(node, list):
            node[int(leaf)] = value
        else:
            node[leaf] = value
    return data


def run_id(params: dict[str, Any]) -> str:
    """A stable id of a run: the first 12 hex digits of SHA-256 over its parameter values (sorted keys)."""
    text = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def latin_hypercube(samples: int, dims: int, seed: int) -> np.ndarray:
    """`samples` × `dims` points in [0, 1): in each column, exactly one point falls in each of the `samples` strata."""
    rng = np.random.default_rng(seed)
    points = np.empty((samples, dims))
    for j in range(dims):
        points[:, j] = (rng.permutation(samples) + rng.random(samples)) / samples
    return points


def design_points(spec: SweepSpec) -> list[dict[str, Any]]:
    """Every run's parameter values in design order: the grid or hypercube, each point once per seed."""
    varied = spec.varied()
    if spec.design == "grid":
        combos = itertools.product(*(values_of(p) for p in varied.values()))
        points = [dict(zip(varied, combo, strict=True)) for combo in combos]
    else:
        points = _lhs_points(spec)
    seeds = spec.seed_values()
    if seeds is None:
        return points
    return [{**point, SEED_KEY: seed} for point in points for seed in seeds]


def _lhs_points(spec: SweepSpec) -> list[dict[str, Any]]:
    varied = spec.varied()
    unit = latin_hypercube(spec.samples or 0, len(varied), spec.design_seed)
    columns = {}
    for j, (key, param) in enumerate(varied.items()):
        if isinstance(param, IntervalParam):
            columns[key] = [float(param.min + u * (param.max - param.min)) for u in unit[:, j]]
        else:
            values = values_of(param)
            columns[key] = [values[min(math.floor(u * len(values)), len(values) - 1)] for u in unit[:, j]]
    return [{key: columns[key][i] for key in varied} for i in range(len(unit))]


def _value_problems(spec: SweepSpec, base: Scenario) -> list[str]:
    """Each parameter value (an interval's ends) set alone on the base: which make it invalid."""
    dump = base.model_dump(mode="json", exclude_none=True)
    problems = []
    for key, param in spec.parameters.items():
        values = (param.min, param.max) if isinstance(param, IntervalParam) else values_of(param)
        for value in values:
            try:
                scenario_from_dict(with_overrides(dump, {key: value}))
            except ScenarioError as exc:
                problems += [f"parameters.{key} = {value!r} makes the base invalid: {_bare(p)}" for p in exc.problems]
    return problems


def _resolve(points: list[dict[str, Any]], base: Scenario) -> tuple[list[PlannedRun], list[str]]:
    """The runs with their validated scenarios, and the problems of runs whose combination is invalid."""
    dump = base.model_dump(mode="json", exclude_none=True)
    runs, problems, seen = [], [], set()
    for index, params in enumerate(points):
        rid = run_id(params)
        if rid in seen:  # a hypercube over short lists can draw a point twice: the same run, run once
            continue
        seen.add(rid)
        try:
            scenario = scenario_from_dict(with_overrides(dump, params))
        except ScenarioError as exc:
            label = PlannedRun(index, rid, params, base).label()
            problems += [f"{label} makes the base invalid: {_bare(p)}" for p in exc.problems]
            continue
        runs.append(PlannedRun(index=index, run_id=rid, params=params, scenario=scenario))
    return runs, problems


def _bare(problem: str) -> str:
    return problem.removeprefix("<top level>: ")


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_LISTED:
        return problems
    return [*problems[:MAX_LISTED], f"… and {len(problems) - MAX_LISTED} more"]
