"""How many cases the fuzz campaigns try: bounded in CI, the full campaign with `CITYFLEX_FUZZ=full`.

    CITYFLEX_FUZZ=full .venv/bin/python -m pytest -q -s tests/fuzz     # ≥ 100,000 access cases, long
    .venv/bin/python -m pytest -q -s tests/fuzz                        # the CI size, well under a minute
    CITYFLEX_FUZZ=4 .venv/bin/python -m pytest -q -s tests/fuzz        # four times the CI size, random

With `-s` each campaign prints its counts (cases tried, clean errors, defects) at the end.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FULL = os.environ.get("CITYFLEX_FUZZ", "").lower() == "full"
SCALE = int(os.environ.get("CITYFLEX_FUZZ", "1")) if os.environ.get("CITYFLEX_FUZZ", "").isdigit() else 1


def fuzz_settings(ci: int, full: int) -> settings:
    """Hypothesis settings for `ci` examples in CI (derandomised, so CI is stable) or `full` with the flag."""
    return settings(
        max_examples=full if FULL else ci * SCALE,
        deadline=None,
        derandomize=not FULL and SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


class Tally:
    """Counts of one campaign, printed at the end of its test."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: dict[str, int] = {}

    def add(self, key: str, n: int = 1) -> None:
        """Count `n` more of `key`."""
        self.counts[key] = self.counts.get(key, 0) + n

    def report(self) -> str:
        """One line: the campaign's name and its counts."""
        text = ", ".join(f"{k} {v:,}" for k, v in sorted(self.counts.items()))
        line = f"[fuzz {self.name}{' full' if FULL else ''}] {text}"
        print(line)  # noqa: T201 - the campaign's counts are its report (`pytest -s`)
        return line


def cli(args: list[str]) -> tuple[int, str]:
    """`main.py ARGS` in this process: (exit code, what it wrote to stderr); argparse's exits count as codes."""
    import contextlib
    import io

    from simulator.cli.commands import main

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, err.getvalue()
