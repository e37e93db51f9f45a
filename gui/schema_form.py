"""The scenario's parameters as a flat list of editable fields, read from its JSON Schema (no Qt here).

The editor shows one `FieldSpec` per leaf value of the resolved scenario: its key path, unit and
bounds come from the schema's `description` ("… [kW]") and its `minimum`/`maximum`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]
_UNIT = re.compile(r"\[([^\]]+)\]\s*(?:\([^)]*\))?\s*$")


@dataclass(frozen=True)
class FieldSpec:
    """One editable leaf of the scenario."""

    path: Path
    kind: str  # number, integer, string, boolean, choice, numbers, const
    description: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_min: bool = False
    exclusive_max: bool = False
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The dotted key path, as validation messages spell it."""
        return ".".join(str(p) for p in self.path)

    @property
    def range_text(self) -> str:
        """The allowed range, e.g. '0 ≤ x ≤ 1'; empty when unbounded."""
        low = "" if self.minimum is None else f"{self.minimum:g} {'<' if self.exclusive_min else '≤'} "
        high = "" if self.maximum is None else f" {'<' if self.exclusive_max else '≤'} {self.maximum:g}"
        return f"{low}x{high}" if low or high else ""


def unit_of(description: str) -> str:
    """The unit in brackets at the end of a description ('Share … [kW]' → 'kW')."""
    found = re.findall(r"\[([^\]]+)\]", description)
    return found[-1] if found else ""


def scenario_fields(data: dict[str, Any], schema: dict[str, Any]) -> list[FieldSpec]:
    """Every leaf of `data` (a resolved scenario dump) with what the schema says about it."""
    defs = schema.get("$defs", {})
    out: list[FieldSpec] = []
    _walk(data, schema, (), defs, "", out)
    return out


def _resolve(schema: dict[str, Any], value: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and pick the union member that fits `value`, keeping the outer description."""
    description = schema.get("description")
    while True:
        if "$ref" in schema:
            schema = {**defs[schema["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}
            continue
        options = schema.get("oneOf") or schema.get("anyOf")
        if options:
            schema = {**_pick(options, schema.get("discriminator"), value, defs), "description": description}
            continue
        break
    if description and not schema.get("description"):
        schema = {**schema, "description": description}
    return schema


def _pick(options: list[dict], discriminator: dict | None, value: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if discriminator and isinstance(value, dict):
        target = discriminator["mapping"].get(value.get(discriminator["propertyName"]))
        if target:
            return {"$ref": target}
    wanted = _json_type(value)
    for option in options:
        resolved = _resolve(option, value, defs) if "$ref" in option else option
        if resolved.get("type") == wanted or (wanted == "integer" and resolved.get("type") == "number"):
            return option
    return options[0]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "string"


def _walk(value: Any, schema: dict, path: Path, defs: dict, inherited: str, out: list[FieldSpec]) -> None:
    schema = _resolve(schema, value, defs)
    description = schema.get("description") or inherited
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        keys = [k for k in props if k in value] + [k for k in value if k not in props]
        for key in keys:
            child = props.get(key, extra if isinstance(extra, dict) else {})
            _walk(value[key], child, (*path, key), defs, description, out)
    elif isinstance(value, list | tuple) and any(isinstance(v, dict) for v in value):
        items = schema.get("items", {})
        for i, item in enumerate(value):
            _walk(item, items, (*path, i), defs, description, out)
    else:
        out.append(_leaf(value, schema, path, description))


def _leaf(value: Any, schema: dict, path: Path, description: str) -> FieldSpec:
    if "const" in schema:
        kind = "const"
    elif "enum" in schema:
        kind = "choice"
    elif isinstance(value, list | tuple):
        kind = "numbers"
    else:
        kind = {"boolean": "boolean", "integer": "integer", "number": "number"}.get(schema.get("type", ""), "")
        kind = kind or ("number" if isinstance(value, float) else "string")
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    return FieldSpec(
        path=path,
        kind=kind,
        description=description,
        unit=unit_of(description),
        minimum=low if low is not None else xlow,
        maximum=high if high is not None else xhigh,
        exclusive_min=xlow is not None,
        exclusive_max=xhigh is not None,
        choices=tuple(str(c) for c in schema.get("enum", ())),
    )


def parse_text(field: FieldSpec, text: str) -> Any:
    """The value typed into a field's editor; text that does not parse is passed on for pydantic to reject."""
    text = text.strip()
    try:
        if field.kind == "integer":
            return int(text)
        if field.kind == "number":
            return float(text)
        if field.kind == "numbers":
            return [float(t) for t in text.replace(";", ",").split(",") if t.strip()]
    except ValueError:
        return text
    return text


def format_value(value: Any) -> str:
    """A leaf value as the editor shows it."""
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def get_in(data: Any, path: Path) -> Any:
    """The value at `path` in nested dicts and lists."""
    for part in path:
        data = data[part]
    return data


def set_in(data: Any, path: Path, value: Any) -> None:
    """Replace the value at `path` in nested dicts and lists."""
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def problem_paths(problem: str, data: dict[str, Any]) -> list[Path]:
    """The key paths a validation problem names ('grid.synthetic.substations: …' → ('grid', 'substations'))."""
    paths = []
    head, _, rest = problem.partition(": ")
    for candidate in (head, rest.partition(": ")[0]):
        path = _data_path(candidate, data)
        if path:
            paths.append(path)
    return paths


def _data_path(dotted: str, data: Any) -> Path:
    """Map pydantic's location onto the data, dropping union tags (e.g. 'synthetic') that are not keys."""
    if not dotted or " " in dotted:
        return ()
    path: list[str | int] = []
    node = data
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            path.append(int(part))
            node = node[int(part)]
        elif isinstance(node, dict) and node.get("kind") == part:
            continue
        else:
            break
    return tuple(path)
