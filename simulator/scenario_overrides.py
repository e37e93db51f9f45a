"""Scenario overrides: `households.hems_share=0.3` from the CLI (`--set`) or `{"households.hems_share": 0.3}` in Python.

A key is a dotted path into the scenario's tables (list items by index: `retailers.0.tariff`); a value is
read as a TOML value (`0.3`, `true`, `"text"`, `[1, 2]`, `{ kind = "flat" }`) and, when it is not one, kept
as text (`--set name=my_run`). Overrides are set into the scenario as read from its file, then the whole
scenario is validated as usual, so a bad key or value gets the scenario's own message naming the key.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from simulator.errors import ScenarioError

if TYPE_CHECKING:
    from simulator.scenario import Scenario


def parse_assignment(text: str) -> tuple[str, Any]:
    """`"a.b=value"` → `("a.b", value)`; `ValueError` with the reason when it is not `KEY=VALUE`."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"expected KEY=VALUE, e.g. households.hems_share=0.3 (got {text!r})")
    if any(not part.strip() for part in key.split(".")):
        raise ValueError(f"{key!r}: an empty part in the key path (got {text!r})")
    return key, parse_value(raw.strip())


def parse_value(raw: str) -> Any:
    """A TOML value (number, boolean, string, array, inline table, date), else the text itself."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """Every `KEY=VALUE` of `items` (the last one wins for a key given twice)."""
    return dict(parse_assignment(item) for item in items)


def set_key_paths(data: dict[str, Any], overrides: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A copy of `data` (a scenario as read from TOML) with each dotted `key = value` of `overrides` set."""
    out = copy.deepcopy(data)
    problems = []
    for key, value in overrides.items():
        problem = _set(out, key, value)
        if problem:
            problems.append(problem)
    if problems:
        raise ScenarioError(source, problems)
    return out


def described(source: str, overrides: Mapping[str, Any]) -> str:
    """The source of a scenario with overrides, for messages: `file.toml (with a.b=1, c=2)`."""
    if not overrides:
        return source
    return f"{source} (with {', '.join(f'{k}={v!r}' for k, v in overrides.items())})"


def apply_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A validated copy of `scenario` with `overrides` set (data-file paths in it are already resolved)."""
    from simulator.scenario import scenario_from_dict

    if not overrides:
        return scenario
    data = set_key_paths(scenario.model_dump(mode="python", exclude_none=True), overrides, scenario.name)
    return scenario_from_dict(data, source=described(f"scenario {scenario.name!r}", overrides))


def _set(data: dict[str, Any], key: str, value: Any) -> str | None:
    """Set `key` (dotted) to `value` inside `data`, creating tables on the way; why not, or None."""
    *parents, leaf = key.split(".")
    node: Any = data
    for depth, segment in enumerate([*parents, leaf]):
        where = ".".join(parents[:depth]) or "the scenario"
        last = depth == len(parents)
        if isinstance(node, list):
            if not (segment.isdigit() and int(segment) < len(node)):
                return f"{key}: {where} is a list of {len(node)}; {segment!r} is not an index"
            index: Any = int(segment)
        elif isinstance(node, dict):
            index = segment
        else:
            return f"{key}: {where} is a value ({node!r}), not a table (cannot go into {segment!r})"
        if last:
            node[index] = value
            return None
        child = node.setdefault(index, {}) if isinstance(node, dict) else node[index]
        if isinstance(child, tuple):  # a model dump keeps tuples: a list to set an item into
            child = node[index] = list(child)
        node = child
    return None
