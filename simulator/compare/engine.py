"""Compare tariff options on the same households and seed: `compare(...) -> Comparison`, `write_comparison`.

An option is a tariff preset (`market.tariff_presets`: tou, tou3, cpp — priced revenue-neutral
against the scenario's baseline tariff on the baseline consumption), `flat` (the baseline tariff
itself), the name of a tariff the scenario defines, or a small TOML overlay merged into the
scenario. Each option is the scenario with every retailer selling that tariff, run with its
baseline by `Simulation`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from market.errors import MarketError
from market.tariff_design import RevenueNeutralDesign
from market.tariff_presets import PRESETS
from simulator.compare.tariff_neutral import BaselineUse, baseline_use, design_one
from simulator.errors import CityflexError, ResultsError
from simulator.kpi.equity import equity_table
from simulator.replicates import kpi_summary, replicate_seeds, with_seed
from simulator.results.output_dir import atomic_dir, safe_name
from simulator.results.run_result import RunResult, write_results
from simulator.runner import Simulation
from simulator.scenario import Scenario, load_scenario, read_toml, scenario_from_dict

Progress = Callable[[int, int], None]


@dataclass
class Comparison:
    """Options run side by side: `table` has one row per KPI, one column per option, then `Δ <option>` columns.

    With replicates, `table` holds each KPI's mean over the seeds and `intervals[option]` its 95 % interval
    (`simulator.replicates.kpi_summary`); `results` and `equity` are the first seed's runs, `replicates` all.
    """

    options: list[str]
    results: dict[str, RunResult]
    table: pd.DataFrame
    designs: dict[str, RevenueNeutralDesign | None] = field(default_factory=dict)
    equity: pd.DataFrame = field(default_factory=pd.DataFrame)
    replicates: dict[str, dict[int, RunResult]] = field(default_factory=dict)
    intervals: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def seeds(self) -> list[int]:
        """The seeds every option ran with (one unless replicated)."""
        first = self.replicates.get(self.options[0]) if self.options else None
        return list(first) if first else [self.results[self.options[0]].scenario.seed]


def compare(
    scenario: Scenario | Path | str, options: list[str], progress: Progress | None = None, replicates: int = 1
) -> Comparison:
    """Run every option on the scenario's households and seed(s); the first option is the reference of the deltas."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if not options:
        raise CityflexError("compare: give at least one --option")
    unknown = [o for o in options if o not in available_options(scenario) and Path(o).suffix != ".toml"]
    if unknown:  # before the baseline run that the revenue-neutral presets need
        raise CityflexError(
            f"compare: unknown option {unknown[0]!r}; use one of {available_options(scenario)} or a .toml overlay file"
        )
    seeds = replicate_seeds(scenario.seed, replicates)
    use = baseline_use(scenario)
    variants = {opt: option_scenario(scenario, opt, use) for opt in options}  # checks every option before a run
    total = scenario.n_steps * len(options) * len(seeds)
    runs: dict[str, dict[int, RunResult]] = {opt: {} for opt in options}
    done = 0
    for seed in seeds:
        if seed != scenario.seed:
            seeded = with_seed(scenario, seed)
            seeded_use = baseline_use(seeded)
            variants_now = {opt: option_scenario(seeded, opt, seeded_use) for opt in options}
        else:
            variants_now = variants
        for opt, (variant, _) in variants_now.items():
            relay = None if progress is None else (lambda d, n, base=done: progress(base + d, total))
            runs[opt][seed] = Simulation(variant).run(relay)
            done += scenario.n_steps
    results = {opt: r[scenario.seed] for opt, r in runs.items()}
    equity = pd.concat([equity_table(r.agents).assign(option=o) for o, r in results.items()], ignore_index=True)
    designs = {o: d for o, (_, d) in variants.items()}
    if len(seeds) == 1:
        return Comparison(list(options), results, kpi_table(results), designs, equity)
    intervals = {opt: kpi_summary({s: r.kpis for s, r in by_seed.items()}) for opt, by_seed in runs.items()}
    table = kpi_table({opt: iv["mean"].to_dict() for opt, iv in intervals.items()})
    return Comparison(list(options), results, table, designs, equity, runs, intervals)


def option_scenario(scenario: Scenario, option: str, use: BaselineUse) -> tuple[Scenario, RevenueNeutralDesign | None]:
    """The scenario for one option (every retailer selling its tariff) and the revenue-neutral design, if any."""
    if option == "flat":
        return _selling(scenario, scenario.baseline.tariff, option), None
    if option in scenario.tariffs:
        return _selling(scenario, option, option), None
    if option in PRESETS:
        try:
            design = design_one(_with_tariff(scenario, option, PRESETS[option]), PRESETS[option], use, option)
        except MarketError as exc:
            raise CityflexError(f"option {option!r}: {exc}") from exc
        return _selling(_with_tariff(scenario, option, design.tariff), option, option), design
    path = Path(option)
    if path.suffix == ".toml":
        return _overlay(scenario, path, option), None
    raise CityflexError(
        f"compare: unknown option {option!r}; use one of {available_options(scenario)} or a .toml overlay file"
    )


def available_options(scenario: Scenario) -> list[str]:
    """The options `compare` takes by name for this scenario: `flat`, the presets, the scenario's own tariffs."""
    return list(dict.fromkeys(["flat", *PRESETS, *scenario.tariffs]))


def _with_tariff(scenario: Scenario, name: str, tariff: Any) -> Scenario:
    data = scenario.model_dump(mode="python")
    data["tariffs"] = {**data["tariffs"], name: tariff.model_dump(mode="python")}
    return scenario_from_dict(data, source=f"<option {name}>")


def _selling(scenario: Scenario, tariff: str, option: str) -> Scenario:
    retailers = tuple(r.model_copy(update={"tariff": tariff}) for r in scenario.retailers)
    return scenario.model_copy(update={"retailers": retailers, "name": f"{scenario.name}-{option}"})


def _overlay(scenario: Scenario, path: Path, option: str) -> Scenario:
    """The scenario with a TOML overlay deep-merged into it (tables merge, values replace)."""
    data = _merge(scenario.model_dump(mode="python", exclude_none=True), read_toml(path))
    data["name"] = f"{scenario.name}-{path.stem}"
    return scenario_from_dict(data, source=f"{path} (overlay on {scenario.name})", base_dir=path.parent)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def kpi_table(results: dict[str, RunResult] | dict[str, dict[str, float]]) -> pd.DataFrame:
    """One row per KPI, one column per option, then `Δ <option>` columns against the first option."""
    names = list(results)
    kpis = {name: r.kpis if isinstance(r, RunResult) else r for name, r in results.items()}
    table = pd.DataFrame({name: pd.Series(k, dtype=float) for name, k in kpis.items()})
    table.index.name = "kpi"
    for name in names[1:]:
        table[f"Δ {name}"] = table[name] - table[names[0]]
    return table


def write_comparison(comparison: Comparison, out_dir: str | Path) -> Path:
    """Write the table (CSV + Parquet), the equity table, the designs, each run and `report.html`, atomically.

    `out_dir` is replaced only if cityflex wrote it (`simulator.results.output_dir`).
    """
    from simulator.compare.report import report_html

    out = Path(out_dir)
    try:
        with atomic_dir(out, "comparison") as tmp:
            comparison.table.to_csv(tmp / "comparison.csv")
            pq.write_table(pa.Table.from_pandas(comparison.table.reset_index()), tmp / "comparison.parquet")
            comparison.equity.to_csv(tmp / "equity.csv", index=False)
            pq.write_table(pa.Table.from_pandas(comparison.equity, preserve_index=False), tmp / "equity.parquet")
            designs = {o: None if d is None else _design_json(d) for o, d in comparison.designs.items()}
            (tmp / "designs.json").write_text(json.dumps(designs, indent=2), encoding="utf-8")
            for option, result in comparison.results.items():
                write_results(result, tmp / "runs" / _slug(option))
            for option, by_seed in comparison.replicates.items():
                for seed, result in by_seed.items():
                    if result is not comparison.results[option]:
                        write_results(result, tmp / "runs" / f"{_slug(option)}-seed-{seed}")
            if comparison.intervals:
                long = pd.concat({o: iv for o, iv in comparison.intervals.items()}, names=["option"]).reset_index()
                long.to_csv(tmp / "replicates.csv", index=False)
            (tmp / "report.html").write_text(report_html(comparison), encoding="utf-8")
    except (OSError, pa.ArrowException) as exc:
        raise ResultsError(f"{out}: cannot write the comparison: {exc}") from exc
    for option, by_seed in comparison.replicates.items():
        for seed, result in by_seed.items():
            result.path = out / "runs" / (_slug(option) if result is comparison.results[option] else
                                          f"{_slug(option)}-seed-{seed}")  # fmt: skip
    for option, result in comparison.results.items():
        result.path = out / "runs" / _slug(option)
    return out


def _design_json(design: RevenueNeutralDesign) -> dict[str, Any]:
    return {
        "factor": design.factor,
        "component": design.component,
        "current_revenue_eur": design.current_revenue_eur,
        "new_revenue_eur": design.new_revenue_eur,
        "prices_eur_per_kwh": design.prices_eur_per_kwh,
        "tariff": design.tariff.model_dump(mode="json"),
    }


def _slug(option: str) -> str:
    return safe_name("".join(c if c.isalnum() or c in "-_" else "_" for c in Path(option).stem or option))
