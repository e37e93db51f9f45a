"""Every shipped city scenario passes `main.py check` at CI scale (the pilots shrunk with `scale`)."""

from __future__ import annotations

import re

import pytest

from simulator.cli.commands import main
from simulator.scenario import load_scenario
from tests.conftest import SCENARIOS

CI_SCALE = {"lisbon_upgrid": 0.02, "lisbon_sharing_cities": 0.1, "grenoble_cityzen": 0.2}
CITY = sorted(p for p in SCENARIOS.glob("*.toml") if 'kind = "hub_stress"' not in p.read_text())


@pytest.mark.scenario
@pytest.mark.parametrize("path", CITY, ids=[p.stem for p in CITY])
def test_shipped_scenario_passes_check_at_ci_scale(path, tmp_path, capsys):
    text = path.read_text().replace('"data/', f'"{SCENARIOS}/data/')
    if path.stem in CI_SCALE:
        text = re.sub(r"(?m)^scale = .*$", f"scale = {CI_SCALE[path.stem]}", text)
    ci = tmp_path / path.name
    ci.write_text(text)
    code = main(["check", str(ci), "--quiet"])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(CI_SCALE))
def test_pilot_scenarios_give_a_source_for_their_numbers(name):
    scenario = load_scenario(SCENARIOS / f"{name}.toml")
    assert scenario.expect and len(scenario.provenance) >= 5
    assert all(v.startswith(("seed", "assumption", "ERSE", "EDF", "Brattle", "1.0", "calendar", "contracted"))
               or "seed 00" in v or "DOMAIN.md" in v for v in scenario.provenance.values())  # fmt: skip


@pytest.mark.parametrize("path", CITY, ids=[p.stem for p in CITY])
def test_expect_bands_can_fail(path):
    """No band that holds whatever happens: a percentage band spans at most 30 points, no bound reaches 1e6."""
    scenario = load_scenario(path)
    for name, (low, high) in scenario.expect.items():
        assert high < 1e6, f"{path.name}: expect.{name} = [{low}, {high}] cannot fail"
        if name.endswith("_pct"):
            assert high - low <= 30, f"{path.name}: expect.{name} = [{low}, {high}] is wider than 30 points"
