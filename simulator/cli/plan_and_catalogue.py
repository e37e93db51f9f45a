"""CLI commands for replaying pilots: `data-catalogue` (the personal data a run uses) and `plan` (SEPS)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from simulator.results.output_dir import check_output_dir, safe_name, write_text_atomic
from simulator.scenario import Scenario, load_scenario


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add this module's sub-commands to `main.py`'s parser."""
    p = sub.add_parser(
        "data-catalogue", help="list each personal datum a scenario's run uses, why, who sees it, retention"
    )
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, help="also write the catalogue as CSV here")
    _add_set(p)
    _add_plan(sub)


def _add_plan(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="SEPS: per substation, PV hosting capacity and peak cut per kWp / battery kWh")
    p.add_argument("scenario", type=Path)
    p.add_argument(
        "--out", type=Path, help="directory for plan.csv and plan.html (default: results/<scenario name>-plan)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_set(p)


def _add_set(p: argparse.ArgumentParser) -> None:
    from simulator.cli.commands import add_set_option

    add_set_option(p)


def _scenario(args: argparse.Namespace) -> Scenario:
    from simulator.cli.commands import overrides_of

    return load_scenario(args.scenario, overrides_of(args))


def _plan(args: argparse.Namespace) -> int:
    from simulator.planning.report import write_plan
    from simulator.planning.seps import plan

    scenario = _scenario(args)
    out = args.out or Path("results") / safe_name(f"{scenario.name}-plan")
    if out.suffix != ".csv":
        check_output_dir(out)  # before the work (the .csv form is checked against its header when written)
    with phase_bars(quiet=args.quiet) as progress:
        table = plan(scenario, progress=progress)
    csv, page = write_plan(scenario, table, out)
    _say(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    _say(f"\n{scenario.name}: {len(table)} substations; table written to {csv}, report to {page}")
    return 0


@contextmanager
def phase_bars(quiet: bool) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback `(done, total, phase)` drawing one bar (rate and ETA) per phase on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(done: int, total: int, phase: str) -> None:
        if phase not in bars:
            for bar in bars.values():
                bar.close()
            bars[phase] = tqdm(total=total, desc=phase, unit="", disable=quiet, file=sys.stderr, leave=False)
        bars[phase].update(done - bars[phase].n)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _data_catalogue(args: argparse.Namespace) -> int:
    from simulator.meter_data.data_catalogue import catalogue_table, format_catalogue

    scenario = _scenario(args)
    _say(format_catalogue(scenario))
    if args.out is not None:
        text = catalogue_table(scenario).to_csv(index=False)
        write_text_atomic(args.out, text, signature=text.splitlines()[0])  # replaces only a catalogue it wrote
        _say(f"\ncatalogue written to {args.out}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"data-catalogue": _data_catalogue, "plan": _plan}
