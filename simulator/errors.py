"""Errors the simulator raises; the CLI and GUI catch `CityflexError` only and show `str(exc)`.

Tree::

    CityflexError
    ├── ScenarioError        a scenario file or overlay is unreadable or invalid (one message, every problem)
    │   └── SweepSpecError   a sweep file is invalid (`simulator.sweep.spec`)
    ├── DataError            an input data file (CSV, profile) is malformed: names the file and line
    ├── ResultsError         a results directory cannot be read or written
    │   └── ResultsDirError  an output path cityflex must not replace (not its own, a file, `.`); nothing written
    ├── GridSetupError       the scenario's grid cannot carry even no load (no converging power flow, cut-off homes)
    ├── CheckFailed          `check`: a KPI left its expected band
    ├── ControllerFailed     a user's agent controller returned a decision the model cannot apply
    └── SweepEngineError     a sweep engine cannot start: dask missing or unreachable (`simulator.sweep.engines`)

The sweep errors live next to the code that raises them; they are listed here so the tree stays whole.

A power flow that does not converge is not an exception of the run: the grid reports it and the
run records it as an event (see `simulator.grid.grid.GridNotConverged`).
"""

from __future__ import annotations


class CityflexError(Exception):
    """Base of every error the user should see as a message, not a traceback."""


class ScenarioError(CityflexError):
    """A scenario is invalid; the message lists every problem with its key path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        bullet = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: invalid scenario ({len(problems)} problem(s)):\n{bullet}")


class DataError(CityflexError):
    """An input data file is malformed."""


class GridSetupError(CityflexError, ValueError):
    """The grid a scenario describes cannot be solved at all (a ValueError too, as it used to be)."""


class ResultsError(CityflexError):
    """A results directory cannot be read or written."""


class ResultsDirError(ResultsError):
    """An output path holds something cityflex did not write (or cannot hold output); nothing was touched."""


class CheckFailed(CityflexError):
    """One or more KPIs left the band the scenario's `[expect]` table allows."""

    def __init__(self, source: str, failures: list[str]) -> None:
        self.failures = failures
        bullet = "\n".join(f"  - {f}" for f in failures)
        super().__init__(f"{source}: {len(failures)} KPI(s) outside their expected band:\n{bullet}")


class ControllerFailed(CityflexError):
    """A user's controller (a per-agent `plan_day`, a dotted-path class) gave a decision the model cannot apply."""
