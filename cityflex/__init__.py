"""cityflex: an agent-based simulator of a city's electricity distribution and its people.

The public Python API::

    import cityflex

    result = cityflex.run("scenarios/quickstart.toml", out="results/qs", overrides={"households.hems_share": 0.3})
    result.kpis["peak_reduction_pct"]
    scenario = cityflex.load_scenario("scenarios/quickstart.toml", {"seed": 7})
    comparison = cityflex.compare(scenario, ["flat", "tou", "cpp"], out="results/qs-compare")
    sweep = cityflex.sweep("scenarios/sweeps/hems_share.toml", out="results/sweeps/hems_share")
    model = cityflex.CityModel(scenario)      # step by step: model.step()

Paths are the caller's: relative to the working directory, as everywhere in Python; the data files a
scenario names are relative to the scenario file. Names load on first use, so `import cityflex` is quick.
"""

from __future__ import annotations

import importlib
from typing import Any

from simulator.version import __version__

_API = {
    "run": "cityflex.api",
    "load_scenario": "cityflex.api",
    "compare": "cityflex.api",
    "sweep": "cityflex.api",
    "read_results": "simulator.results.run_result",
    "RunResult": "simulator.results.run_result",
    "Scenario": "simulator.scenario",
    "CityModel": "simulator.model",
    "Comparison": "simulator.compare.engine",
    "SweepResult": "simulator.sweep.runner",
    "CityflexError": "simulator.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    try:  # sub-modules of the facade (e.g. `cityflex.env` where it exists)
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module 'cityflex' has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(__all__)
