"""Write edited values back into a scenario file's own text, keeping its comments, order and layout.

`patch_toml(text, changes)` replaces the value of each changed `key = value` line (a trailing comment
stays) and adds keys the file did not have at the end of their table. It returns None when it cannot
do so faithfully (a value spread over several lines, arrays of tables); the caller then writes the
resolved scenario instead and says that the comments were not kept.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import tomli_w

Path_ = tuple[str, ...]
HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
ARRAY_HEADER = re.compile(r"^\s*\[\[")
KEY_LINE = re.compile(r"^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.*)$")


def toml_value(value: Any) -> str:
    """`value` written as TOML (inline)."""
    return tomli_w.dumps({"x": value}).split("=", 1)[1].strip()


def flat_changes(old: dict[str, Any], new: dict[str, Any], prefix: Path_ = ()) -> dict[Path_, Any]:
    """Leaf values of `new` that differ from `old`, by key path (tables recurse; lists are leaves)."""
    out: dict[Path_, Any] = {}
    for key, value in new.items():
        path = (*prefix, key)
        if isinstance(value, dict) and isinstance(old.get(key), dict):
            out |= flat_changes(old[key], value, path)
        elif old.get(key) != value:
            out[path] = value
    return out


def _split_comment(rest: str) -> tuple[str, str] | None:
    """The value and the trailing comment of the text after `key =`; None if no one-line value parses."""
    for cut in [m.start() for m in re.finditer("#", rest)] + [len(rest)]:
        value, comment = rest[:cut].rstrip(), rest[cut:]
        try:
            tomllib.loads(f"x = {value}")
        except tomllib.TOMLDecodeError:
            continue
        return value, (" " + comment if comment else "")
    return None


def patch_toml(text: str, changes: dict[Path_, Any]) -> str | None:
    """`text` with the values at `changes` replaced (or added); None when that cannot be done faithfully."""
    lines = text.splitlines()
    table: Path_ | None = ()
    done: set[Path_] = set()
    table_end: dict[Path_, int] = {(): 0}
    first_header = None
    for i, line in enumerate(lines):
        if ARRAY_HEADER.match(line):
            table = None
            first_header = i if first_header is None else first_header
            continue
        header = HEADER.match(line)
        if header:
            table = tuple(p.strip().strip('"') for p in header.group(1).split("."))
            table_end[table] = i + 1
            first_header = i if first_header is None else first_header
            continue
        key = KEY_LINE.match(line)
        if key is None or table is None or line.lstrip().startswith("#"):
            continue
        table_end[table] = i + 1
        if first_header is None:
            table_end[()] = i + 1
        path = (*table, key.group(2))
        if path not in changes:
            continue
        parts = _split_comment(key.group(4))
        if parts is None:
            return None
        lines[i] = f"{key.group(1)}{key.group(2)}{key.group(3)}{toml_value(changes[path])}{parts[1]}"
        done.add(path)
    inserts: dict[int, list[str]] = {}
    appended: dict[Path_, list[str]] = {}
    for path, value in changes.items():
        if path in done:
            continue
        where = path[:-1]
        if where in table_end:
            inserts.setdefault(table_end[where], []).append(f"{path[-1]} = {toml_value(value)}")
        else:
            appended.setdefault(where, []).append(f"{path[-1]} = {toml_value(value)}")
    for at in sorted(inserts, reverse=True):
        lines[at:at] = inserts[at]
    for where, new in appended.items():
        lines += ["", f"[{'.'.join(where)}]", *new]
    return "\n".join(lines) + "\n"
