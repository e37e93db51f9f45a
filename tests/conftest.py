"""Shared fixtures: small scenarios built in code, and one finished quickstart run per session."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from simulator.scenario import Scenario, read_toml, scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def quickstart_dict(**top: Any) -> dict[str, Any]:
    """The quickstart scenario as a dict, with top-level keys replaced."""
    data = copy.deepcopy(read_toml(SCENARIOS / "quickstart.toml"))
    data.update(top)
    return data


def small_scenario(horizon_days: float = 1, **top: Any) -> Scenario:
    """A one-day quickstart: two substations, 150 households."""
    return scenario_from_dict(quickstart_dict(horizon_days=horizon_days, **top))


@pytest.fixture(scope="session")
def quickstart_result():
    """The quickstart scenario run once (with its baseline) for the whole test session."""
    from simulator.runner import run

    return run(small_scenario(horizon_days=2))


def pytest_sessionfinish(session, exitstatus):
    """Remember the exit status for `pytest_unconfigure`."""
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without interpreter finalisation once Qt was loaded: everything is reported and written.

    PySide6 6.12 can crash in its C-level finalisers at interpreter exit (`none_dealloc`, seen about
    one suite run in four), turning a green run into exit code 134.
    """
    import os
    import sys

    if "PySide6.QtCore" not in sys.modules or _EXIT_STATUS not in config.stash:
        return
    config.get_terminal_writer().flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(config.stash[_EXIT_STATUS])


_EXIT_STATUS = pytest.StashKey[int]()
