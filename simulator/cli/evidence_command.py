"""`main.py evidence`: replay every study of the register on the behaviour model; published vs simulated.

Exits 0 when at least `REQUIRED_HELD_OUT` held-out studies land in their published interval, 1 when
fewer do, 2 on a bad register or parameters file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from simulator.errors import CityflexError

DEFAULT_FIGURE = Path("results/evidence.svg")  # beside the runs' results; the docs' copy: --figure docs/evidence.svg


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `evidence` to `main.py`'s parser."""
    p = sub.add_parser(
        "evidence",
        help="run every study of the evidence register on the behaviour model: published vs simulated, fit/validate",
    )
    p.add_argument("--register", type=Path, help="directory of study files (default: evidence/)")
    p.add_argument("--parameters", type=Path, help="behaviour parameters (default: agents/response/parameters.toml)")
    p.add_argument("--figure", type=Path, default=DEFAULT_FIGURE, help=f"SVG to write (default: {DEFAULT_FIGURE})")
    p.add_argument("--no-figure", action="store_true", help="print the table only")


def _evidence(args: argparse.Namespace) -> int:
    from agents.response.parameters import PARAMETERS_FILE, load_parameter_file
    from simulator.evidence.evaluate import REQUIRED_HELD_OUT, evaluate, held_out_landing
    from simulator.evidence.register import REGISTER_DIR, load_register
    from simulator.evidence.report import format_report, svg

    if not args.no_figure:
        _check_figure_path(args.figure)
    studies = load_register(args.register or REGISTER_DIR)
    path = args.parameters or PARAMETERS_FILE
    try:
        pf = load_parameter_file(path)
    except (OSError, ValueError, ValidationError) as exc:
        raise CityflexError(f"{path}: unusable behaviour parameters ({str(exc).splitlines()[0]})") from exc
    rows = evaluate(pf.parameters(), studies)
    sys.stdout.write(format_report(studies, rows, pf) + "\n")
    if not args.no_figure:
        _write_figure(args.figure, svg(rows))
        sys.stdout.write(f"figure written to {args.figure}\n")
    landed = sum(held_out_landing(rows).values())
    return 0 if landed >= REQUIRED_HELD_OUT else 1


def _check_figure_path(path: Path) -> None:
    """Only a new file, or a figure this command wrote before (it carries the marker), may be written."""
    from simulator.evidence.report import FIGURE_MARKER

    if path.exists() and (path.is_dir() or FIGURE_MARKER not in path.read_text(encoding="utf-8", errors="replace")):
        raise CityflexError(f"--figure {path}: exists and was not written by `evidence`; choose another path")


def _write_figure(path: Path, text: str) -> None:
    """Write the figure atomically, replacing only a figure this command wrote (`simulator.results.output_dir`)."""
    from simulator.evidence.report import FIGURE_MARKER
    from simulator.results.output_dir import write_text_atomic

    _check_figure_path(path)
    write_text_atomic(path, text, signature=FIGURE_MARKER)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"evidence": _evidence}
