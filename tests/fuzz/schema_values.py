"""Hypothesis strategies that follow the scenario's JSON Schema (`main.py schema`) to its edges and past them.

`schema_paths(schema)` lists every key path with the sub-schema that describes it (references resolved,
`*` for a free-form table key such as a tariff's name); `edge_values(node)` draws values a user could
write there: inside the bounds, on them, just past them, of the wrong type, NaN and infinities (TOML
spells them), odd strings. A case sets one to three such paths on the tiny scenario.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

Path = tuple[str, ...]


def schema_paths(schema: dict[str, Any], max_depth: int = 6) -> list[tuple[Path, dict[str, Any]]]:
    """(key path, sub-schema) for every property reachable from the root, references resolved."""
    defs = schema.get("$defs", {})
    found: list[tuple[Path, dict[str, Any]]] = []

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        return node

    def walk(node: dict[str, Any], path: Path) -> None:
        node = resolve(node)
        if path:
            found.append((path, node))
        if len(path) >= max_depth:
            return
        for alternative in node.get("anyOf", []) + node.get("oneOf", []):
            walk_children(resolve(alternative), path)
        walk_children(node, path)

    def walk_children(node: dict[str, Any], path: Path) -> None:
        for name, sub in node.get("properties", {}).items():
            walk(sub, (*path, name))
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            walk(extra, (*path, "*"))

    walk(schema, ())
    unique: dict[Path, dict[str, Any]] = {}
    for path, node in found:
        unique.setdefault(path, node)
    return list(unique.items())


def _numbers(node: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    lo = node.get("minimum", node.get("exclusiveMinimum"))
    hi = node.get("maximum", node.get("exclusiveMaximum"))
    edges: list[Any] = [0, 1, -1, 10**9, -(10**9), 2**63, 1e30, -1e30, 1e-300]
    if not integer:
        edges += [math.nan, math.inf, -math.inf, 0.5, 1e-9]
    for bound in (lo, hi):
        if bound is not None:
            edges += [bound, bound - 1, bound + 1] if integer else [bound, bound - 1e-9, bound + 1e-9, bound * 2]
    inside = st.integers(-(10**6), 10**6) if integer else st.floats(-1e6, 1e6, allow_nan=False)
    if lo is not None and hi is not None:
        inside = (
            st.integers(math.ceil(lo), math.floor(hi)) if integer and math.ceil(lo) <= math.floor(hi) else
            st.floats(float(lo), float(hi), allow_nan=False)
        )  # fmt: skip
    if integer:
        edges = [int(e) if isinstance(e, float) and math.isfinite(e) else e for e in edges]
    return st.one_of(st.sampled_from(edges), inside)


_STRINGS = [
    "", " ", "x" * 300, "../../etc", "/tmp", "Factory", "Europe/Lisbon", "UTC", "nan", "inf", "flat",
    "tou", "cpp", "dynamic", "synthetic", "simbench", "H0-A", "dso", "hub", "platform:*", "2016-01-12",
    "2016-01-12T00:00:00+02:00", "\x00", "é", "\udcff"[:0] + "ß", "a" * 5000,
]  # fmt: skip


def edge_values(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for a key described by `node`, biased to its edges, sometimes of another type altogether."""
    kinds = node.get("type")
    options: list[st.SearchStrategy[Any]] = []
    if "enum" in node:
        options.append(st.sampled_from(node["enum"]))
    if "const" in node:
        options.append(st.just(node["const"]))
    if kinds in ("number", "integer"):
        options.append(_numbers(node, kinds == "integer"))
    elif kinds == "string":
        options.append(st.sampled_from(_STRINGS) | st.text(max_size=20))
        if node.get("format") in ("date-time", "date"):
            options.append(st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)))
    elif kinds == "boolean":
        options.append(st.booleans())
    elif kinds == "array" and depth < 2:
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        prefix = node.get("prefixItems")
        if prefix:
            options.append(st.tuples(*(edge_values(p, depth + 1) for p in prefix)).map(list))
        options.append(st.lists(edge_values(items, depth + 1), max_size=4))
    elif kinds == "object":
        options.append(st.just({}))
        options.append(st.dictionaries(st.sampled_from(["x", "kind", "share", "*"]), st.integers(0, 3), max_size=2))
    for alternative in node.get("anyOf", []) + node.get("oneOf", []):
        if depth < 2:
            options.append(edge_values(alternative, depth + 1))
    wrong_type = st.sampled_from([None, "text", 7, -1, 1.5, True, [], {}, [1, 2], math.nan])
    return st.one_of(*options, wrong_type) if options else wrong_type
