"""The headless command line: `run`, `validate`, `schema`, `check`.

Bad input (a scenario file, an argument) prints one clear message and exits with code 2; a KPI
outside its expected band makes `check` exit with code 1. Never a traceback for either.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from market.tariffs import CppTariff
from simulator.cli import evidence_command, plan_and_catalogue
from simulator.errors import CheckFailed, CityflexError
from simulator.kpi.registry import KPIS
from simulator.results.output_dir import check_output_dir, safe_name
from simulator.results.run_result import RunResult
from simulator.scenario import Scenario, load_scenario, read_toml
from simulator.scenario_overrides import parse_assignment
from simulator.version import __version__

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message, drop the usage dump
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser(prog: str = "main.py") -> argparse.ArgumentParser:
    """The command line's argument parser (`prog`: `main.py`, or `cityflex` for the installed command)."""
    parser = _Parser(prog=prog, description="cityflex: a city's electricity distribution and its people.")
    parser.add_argument("--version", action="version", version=f"cityflex {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    p = sub.add_parser("gui", help="open the desktop application (also: no arguments), optionally on a scenario")
    p.add_argument("target", nargs="?", type=Path, help="scenario TOML file or results directory to open")
    p = sub.add_parser("run", help="run a scenario headless with its baseline; print KPIs, write results")
    p.add_argument("scenario", type=Path, help="scenario TOML file")
    p.add_argument("--out", type=Path, help="results directory (default: results/<scenario name>)")
    p.add_argument("--seed", type=_seed, help="override the scenario's seed")
    add_set_option(p)
    p.add_argument(
        "--replicates", type=_replicates, default=1,
        help="run N seeds (the scenario's, +1, …): KPI mean and 95 %% interval; runs in <out>/seed-<seed>/",
    )  # fmt: skip
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = sub.add_parser("check", help="run a scenario and exit non-zero when a KPI leaves its [expect] band")
    p.add_argument("scenario", type=Path)
    p.add_argument("--out", type=Path, help="also write the results here")
    add_set_option(p)
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("scenario", type=Path, nargs="+")
    sub.add_parser("schema", help="print the scenario JSON Schema")
    plan_and_catalogue.add_parsers(sub)
    evidence_command.add_parsers(sub)
    p = sub.add_parser("compare", help="run tariff options on the same households and seed; write a table and report")
    p.add_argument("scenario", type=Path)
    p.add_argument(
        "--option", action="append", required=True, dest="options",
        help="flat, a preset (tou, tou3, cpp: priced revenue-neutral), a tariff of the scenario, or a .toml overlay",
    )  # fmt: skip
    p.add_argument("--out", type=Path, help="output directory (default: results/<scenario name>-compare)")
    add_set_option(p)
    p.add_argument(
        "--replicates", type=_replicates, default=1,
        help="run every option with N seeds; the report shows each KPI's mean and 95 %% interval",
    )  # fmt: skip
    p.add_argument("--quiet", action="store_true")
    _add_sweep_parser(sub)
    return parser


def _add_sweep_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep", help="run a sweep file's runs (grid or Latin hypercube); exits 1 when a run failed, resumes when rerun"
    )
    p.add_argument("sweep", type=Path, help="sweep TOML file (see docs/sweeps.md)")
    p.add_argument("--out", type=Path, help="output directory (default: results/sweeps/<sweep name>)")
    p.add_argument("--engine", choices=("serial", "local", "dask"), default="local", help="where runs execute")
    p.add_argument("--workers", type=_workers, help="processes of the local pool or LocalCluster (default: all cores)")
    p.add_argument("--address", help="address of a running Dask scheduler (with --engine dask)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _replicates(text: str) -> int:
    from simulator.replicates import MAX_REPLICATES

    if not text.isdigit() or not 1 <= int(text) <= MAX_REPLICATES:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_REPLICATES} (got {text!r})")
    return int(text)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 0 (got {text!r})") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 (got {value})")
    return value


def add_set_option(p: argparse.ArgumentParser) -> None:
    """`--set KEY=VALUE` (repeatable): change a scenario value by its dotted key path for this command."""
    p.add_argument(
        "--set", action="append", type=_assignment, default=[], dest="overrides", metavar="KEY=VALUE",
        help="set a scenario value by dotted key path, e.g. --set households.hems_share=0.3 (repeatable)",
    )  # fmt: skip


def overrides_of(args: argparse.Namespace) -> dict[str, Any]:
    """The `--set` overrides of a command (with `--seed`, where the command has it)."""
    overrides = dict(getattr(args, "overrides", None) or [])
    if getattr(args, "seed", None) is not None:
        overrides["seed"] = args.seed
    return overrides


def _assignment(text: str) -> tuple[str, Any]:
    try:
        return parse_assignment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None, prog: str = "main.py") -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except CheckFailed as exc:
        print(f"check failed: {exc}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    except CityflexError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; no results were written", file=sys.stderr)
        return 130


def scenario_kind(path: Path) -> str:
    """The `kind` a scenario file declares ("city" when it declares none)."""
    kind = read_toml(path).get("kind", "city")
    return kind if isinstance(kind, str) else repr(kind)


def _run(args: argparse.Namespace) -> int:
    overrides = overrides_of(args)
    if scenario_kind(args.scenario) == "hub_stress":
        return _run_hub_stress(args, overrides)
    scenario = load_scenario(args.scenario, overrides)
    out = check_output_dir(args.out or Path("results") / safe_name(scenario.name))
    if args.replicates > 1:
        return _run_replicates(scenario, out, args)
    result = _simulate(scenario, out, quiet=args.quiet)
    print(format_kpis(result))
    print(f"\nresults written to {out}/")
    return EXIT_OK


def _run_replicates(scenario: Scenario, out: Path, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from simulator.replicates import format_summary, run_replicates

    total = scenario.n_steps * args.replicates
    bar = tqdm(total=total, unit="step", desc=f"{scenario.name} ×{args.replicates}", disable=args.quiet,
               file=sys.stderr, leave=False)  # fmt: skip
    try:
        summary, _ = run_replicates(scenario, args.replicates, out, progress=lambda d, _: bar.update(d - bar.n))
    finally:
        bar.close()
    print(format_summary(summary, {name: k.unit for name, k in KPIS.items()}))
    print(f"\nreplicates written to {out}/seed-*/; summary in {out / 'replicates.csv'}")
    return EXIT_OK


def _run_hub_stress(args: argparse.Namespace, overrides: dict | None) -> int:
    from tqdm import tqdm

    from simulator.hub_stress.replay import format_hub_stress, run_hub_stress
    from simulator.hub_stress.spec import load_hub_stress

    spec = load_hub_stress(args.scenario, overrides)
    out = check_output_dir(args.out or Path("results") / safe_name(spec.name))
    shape = "{l_bar}{bar}| {n:.0f}/{total:.0f} simulated s [{elapsed}<{remaining}]"
    bar = tqdm(total=1.0, desc=f"{spec.name}, all set-ups", disable=args.quiet, file=sys.stderr, leave=False,
               bar_format=shape)  # fmt: skip

    def progress(done_s: float, total_s: float) -> None:
        bar.total = total_s
        bar.update(done_s - bar.n)

    try:
        result = run_hub_stress(spec, out, progress=progress)
    finally:
        bar.close()
    print(format_hub_stress(result))
    print(f"\nresults written to {out}/")
    return EXIT_OK


def _check_hub_stress(args: argparse.Namespace) -> int:
    from simulator.hub_stress.replay import run_hub_stress
    from simulator.hub_stress.spec import load_hub_stress

    spec = load_hub_stress(args.scenario, overrides_of(args))
    result = run_hub_stress(spec, args.out)
    unknown_kpis = sorted(set(spec.expect) - set(result.kpis))
    if unknown_kpis:
        raise CityflexError(f"{args.scenario}: expect: unknown KPI(s) {unknown_kpis}; known: {sorted(result.kpis)}")
    return _report_bands(args.scenario, result.kpis, spec.expect)


def _report_bands(source: Path, kpis: dict[str, float], expect: dict[str, tuple[float, float]]) -> int:
    failures, lines = check_bands(kpis, expect)
    print("\n".join(lines))
    if failures:
        raise CheckFailed(str(source), failures)
    print(f"{source}: all {len(lines)} KPI(s) within their bands")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    if scenario_kind(args.scenario) == "hub_stress":
        return _check_hub_stress(args)
    scenario = load_scenario(args.scenario, overrides_of(args))
    if not scenario.expect:
        print(f"{args.scenario}: no [expect] table; nothing to check", file=sys.stderr)
        return EXIT_BAD_INPUT
    unknown_expected_kpis(args.scenario, scenario)
    result = _simulate(scenario, args.out, quiet=args.quiet)
    return _report_bands(args.scenario, result.kpis, scenario.expect)


def unknown_expected_kpis(path: str | Path, scenario: Scenario) -> None:
    """Raise naming the file and the key when `[expect]` names a KPI that does not exist."""
    unknown = sorted(set(scenario.expect) - set(KPIS))
    if unknown:
        raise CityflexError(f"{path}: expect: unknown KPI(s) {unknown}; known: {sorted(KPIS)}")


def check_bands(kpis: dict[str, float], expect: dict[str, tuple[float, float]]) -> tuple[list[str], list[str]]:
    """Compare KPIs with their bands: (failures, one line per KPI)."""
    failures, lines = [], []
    for name, (low, high) in expect.items():
        value = kpis[name]
        ok = not math.isnan(value) and low <= value <= high
        line = f"{name} = {value:.4g} (expected {low:g} … {high:g})"
        lines.append(("ok    " if ok else "FAIL  ") + line)
        if not ok:
            failures.append(line)
    return failures, lines


def _validate(args: argparse.Namespace) -> int:
    bad = 0
    for path in args.scenario:
        try:
            if scenario_kind(path) == "hub_stress":
                from simulator.hub_stress.spec import load_hub_stress

                print(f"{path}: valid (hub stress test {load_hub_stress(path).name})")
            else:
                scenario = load_scenario(path)
                unknown_expected_kpis(path, scenario)
                print(f"{path}: valid ({scenario.name}, {scenario.n_steps} steps)")
        except CityflexError as exc:
            print(f"error: {exc}", file=sys.stderr)
            bad += 1
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Scenario.model_json_schema(), indent=2))
    return EXIT_OK


def _simulate(scenario: Scenario, out: Path | None, *, quiet: bool) -> RunResult:
    from tqdm import tqdm

    from simulator.runner import run

    bar = tqdm(total=scenario.n_steps, unit="step", desc=scenario.name, disable=quiet, file=sys.stderr, leave=False)

    def progress(done: int, total: int) -> None:
        if done == 1:
            bar.reset()  # the set-up (grid, profiles) is not a step: start the rate and ETA here
        bar.update(done - bar.n)

    try:
        return run(scenario, out, progress=progress)
    finally:
        bar.close()


def format_kpis(result: RunResult) -> str:
    """The KPI table: name, value, unit, one line each; KPIs that do not apply (NaN) are counted, not listed."""
    shown = {n: v for n, v in result.kpis.items() if not math.isnan(v)}
    width = max(len(n) for n in shown) if shown else 3
    lines = [f"{'KPI':<{width}}  {'value':>12}  unit", "-" * (width + 20)]
    for name, value in shown.items():
        unit = KPIS[name].unit if name in KPIS else ""
        lines.append(f"{name:<{width}}  {round(value, 3) + 0.0:>12.3f}  {unit}")
    lines += not_applicable_lines(result.kpis)
    meta = result.meta.get("engine", {})
    header = (
        f"{result.scenario.name}: {meta.get('households', '?')} households, {meta.get('substations', '?')} "
        f"substations, {meta.get('steps', '?')} steps; power flow: {meta.get('power_flow', '?')}; "
        f"wall time {result.meta.get('wall_time_s', float('nan')):.1f} s"
    )
    notes = [f"note: {w}" for w in result.meta.get("warnings", [])]
    return "\n".join([header, *notes]) + "\n\n" + "\n".join(lines)


def not_applicable_lines(kpis: dict[str, float]) -> list[str]:
    """The KPIs left out (NaN), grouped by why they do not apply; kpis.json keeps them as NaN."""
    reasons: dict[str, list[str]] = {}
    for name, value in kpis.items():
        if math.isnan(value):
            reasons.setdefault(KPIS[name].not_applicable if name in KPIS else "unknown", []).append(name)
    if not reasons:
        return []
    lines = ["", f"not shown ({sum(map(len, reasons.values()))} KPIs; NaN in kpis.json):"]
    lines += [f"  {why}: {', '.join(names)}" for why, names in reasons.items()]
    return lines


def _compare(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from simulator.compare.engine import compare, write_comparison

    scenario = load_scenario(args.scenario, overrides_of(args))
    out = check_output_dir(args.out or Path("results") / safe_name(f"{scenario.name}-compare"))
    total = scenario.n_steps * len(args.options) * args.replicates
    bar = tqdm(total=total, unit="step", desc="compare", disable=args.quiet, file=sys.stderr, leave=False)
    try:
        comparison = compare(
            scenario, args.options, progress=lambda done, _: bar.update(done - bar.n), replicates=args.replicates
        )
    finally:
        bar.close()
    write_comparison(comparison, out)
    for option, design in comparison.designs.items():
        if design is not None:
            print(f"{option}: {design.summary()}")
    for option, result in comparison.results.items():
        events = result.events
        days = sorted({str(t.date()) for t in events.loc[events["kind"] == "cpp_event", "time"]})
        if any(isinstance(t, CppTariff) for t in result.scenario.tariffs.values()):
            print(f"{option}: CPP event days in this run (picked over the whole season): {', '.join(days) or 'none'}")
    for note in dict.fromkeys(w for r in comparison.results.values() for w in r.meta.get("warnings", [])):
        print(f"note: {note}")
    table = comparison.table
    print(table[table.notna().any(axis=1)].to_string(float_format=lambda v: f"{round(v, 3) + 0.0:,.3f}"))
    first = next(iter(comparison.results.values()))
    print("\n".join(not_applicable_lines({n: v for n, v in first.kpis.items() if table.loc[n].isna().all()})))
    if comparison.intervals:
        print(f"\nmean over seeds {comparison.seeds}; 95 % interval of the mean (Student's t):")
        for kpi in ("peak_reduction_pct", "bill_change_mean_eur", "households_worse_off_pct", "bills_total_eur"):
            cells = [f"{o} {iv.at[kpi, 'mean']:,.2f} [{iv.at[kpi, 'low']:,.2f}, {iv.at[kpi, 'high']:,.2f}]"
                     for o, iv in comparison.intervals.items() if kpi in iv.index]  # fmt: skip
            print(f"  {kpi}: " + "; ".join(cells))
    print(f"\ntable, equity and runs written to {out}/; open {out / 'report.html'}")
    return EXIT_OK


def _workers(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1 (got {text!r})")
    return int(text)


def _sweep(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from simulator.sweep.design import load_sweep
    from simulator.sweep.engines import RunOutcome
    from simulator.sweep.runner import default_out, run_sweep

    plan = load_sweep(args.sweep)
    out = args.out or default_out(plan)
    bar = tqdm(unit="run", desc=plan.name, disable=args.quiet, file=sys.stderr, leave=False)
    failures = 0

    def progress(done: int, total: int, outcome: RunOutcome | None) -> None:
        nonlocal failures
        if outcome is None:
            bar.reset(total=total)
            return
        failures += outcome.status == "failed"
        bar.set_postfix(failed=failures, refresh=False)
        bar.update(done - bar.n)

    starting: dict[str, tqdm] = {}
    label = {"workers": "starting Dask workers", "imports": "loading the simulator on the workers"}

    def startup(phase: str, done: int, total: int) -> None:  # Dask start-up: 20–40 s on a busy 2-core machine
        if phase not in starting:
            starting[phase] = tqdm(total=total, unit="worker", desc=label.get(phase, phase), disable=args.quiet,
                                   file=sys.stderr, leave=False)  # fmt: skip
        starting[phase].update(done - starting[phase].n)
        starting[phase].refresh()  # the elapsed time moves even while nothing has finished yet
        if done >= total:
            starting[phase].close()

    try:
        result = run_sweep(plan, out, engine=args.engine, workers=args.workers, address=args.address, progress=progress,
                           startup=startup)  # fmt: skip
    except KeyboardInterrupt:
        print(f"interrupted; finished runs are kept in {out}/: run the same command again to resume", file=sys.stderr)
        return 130
    finally:
        bar.close()
        for b in starting.values():
            b.close()
    table = result.table.drop(columns=["design_index", "error"]).set_index("run_id")
    print(table.to_string(float_format=lambda v: f"{round(v, 3) + 0.0:,.3f}", max_rows=40))
    for row in result.table[result.table["status"] == "failed"].itertuples():
        print(f"failed: run {row.run_id}: {row.error}", file=sys.stderr)
    print(
        f"\n{plan.name}: {len(result.table)} runs ({len(result.executed)} executed, {len(result.resumed)} resumed), "
        f"{len(result.failed)} failed; table {result.table_path}, runs in {result.out / 'runs'}/"
    )
    return EXIT_CHECK_FAILED if result.failed else EXIT_OK


def _gui(args: argparse.Namespace) -> int:
    """`gui` is dispatched by main.py before the headless CLI (the simulator never imports the GUI)."""
    print("start the desktop application with: python main.py gui [SCENARIO|RESULTS_DIR]", file=sys.stderr)
    return EXIT_BAD_INPUT


COMMANDS = {
    "gui": _gui,
    "run": _run,
    "check": _check,
    "validate": _validate,
    "schema": _schema,
    "compare": _compare,
    "sweep": _sweep,
    **plan_and_catalogue.COMMANDS,
    **evidence_command.COMMANDS,
}
