"""CLI commands for replaying pilots: `data-catalogue` (the personal data a run uses) and `plan` (SEPS)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from simulator.scenario import load_scenario


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add this module's sub-commands to `main.py`'s parser."""
    p = sub.add_parser(
        "data-catalogue", help="list each personal datum a scenario's run uses, why, who sees it, retention"
    )
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, help="also write the catalogue as CSV here")
    _add_plan(sub)


def _add_plan(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="SEPS: per substation, PV hosting capacity and peak cut per kWp / battery kWh")
    p.add_argument("scenario", type=Path)
    p.add_argument(
        "--out", type=Path, help="directory for plan.csv and plan.html (default: results/<scenario name>-plan)"
    )


def _plan(args: argparse.Namespace) -> int:
    from simulator.planning.report import write_plan
    from simulator.planning.seps import plan

    scenario = load_scenario(args.scenario)
    table = plan(scenario)
    csv, page = write_plan(scenario, table, args.out or Path("results") / f"{scenario.name}-plan")
    _say(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    _say(f"\n{scenario.name}: {len(table)} substations; table written to {csv}, report to {page}")
    return 0


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _data_catalogue(args: argparse.Namespace) -> int:
    from simulator.meter_data.data_catalogue import catalogue_table, format_catalogue

    scenario = load_scenario(args.scenario)
    _say(format_catalogue(scenario))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        catalogue_table(scenario).to_csv(args.out, index=False)
        _say(f"\ncatalogue written to {args.out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"data-catalogue": _data_catalogue, "plan": _plan}
