"""The text "Save scenario as" writes: the source file with the edits in place, or the resolved scenario."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from gui.toml_patch import flat_changes, patch_toml
from simulator.errors import ScenarioError
from simulator.scenario import Scenario, scenario_from_dict, scenario_to_toml


def scenario_text(scenario: Scenario, source: Path | None, original: dict[str, Any], edited: dict[str, Any]) -> tuple[
        str, bool]:  # fmt: skip
    """TOML for `scenario`, and whether the source's own text (comments, order) was kept.

    The source file is patched with the values the user changed (`original` → `edited`); the result
    must read back as the same scenario, else the resolved scenario is written in full.
    """
    if source is not None and source.suffix == ".toml" and source.is_file():
        try:
            text = source.read_text(encoding="utf-8")
            patched = patch_toml(text, flat_changes(original, edited))
            if patched is not None and _same(scenario_from_dict(tomllib.loads(patched), source=str(source),
                                                                base_dir=source.parent), scenario):  # fmt: skip
                return patched, True
        except (OSError, tomllib.TOMLDecodeError, ScenarioError):
            pass
    return scenario_to_toml(scenario), False


def _same(a: Scenario, b: Scenario) -> bool:
    return a.model_dump(mode="json") == b.model_dump(mode="json")
