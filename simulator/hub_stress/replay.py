"""Replay of the UPGRID Market Hub Platform evaluation (seed 004): a DSO simulator stresses the hub.

Four request types at a fixed rate each, touching a share of the clients; retailer platforms answer after
[100, 110) ms; the hub fails and reboots mid-run. Latency per minute, the per-component breakdown, lost and
retried requests, and the scalability experiments all come out of the queueing model in `market.network`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import simpy

from market.access import DSO, retailer, round_robin_portfolio
from market.hub import MarketHub
from market.hub_spec import HubSpec
from market.messages import BillingRequest, EmergencyNotice, FlexibilityRequest, LoadInformation, Message, client_ids
from simulator.errors import ResultsError
from simulator.hub_stress.spec import REQUEST_KINDS, HubStressSpec, RequestTypeSpec
from simulator.results.output_dir import atomic_dir, check_output_dir

COMPONENT_COLUMNS = ("hub_ms", "storage_ms", "platform_ms", "network_ms", "dso_ms", "hems_ms")
LATENCY_COLUMNS = ("mean_ms", "p50_ms", "p95_ms", "p99_ms")
DRAIN_S = 120.0


class StaticMeterData:
    """Deterministic metering data for the replay: client i draws 0.2 + 0.1 × (i mod 9) kW all the time."""

    def _p_kw(self, ids: np.ndarray) -> np.ndarray:
        return 0.2 + 0.1 * (np.asarray(ids) % 9)

    def energy_kwh(self, ids: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
        """Energy per client in [start_s, end_s) [kWh]."""
        return self._p_kw(ids) * (end_s - start_s) / 3600.0

    def profile_p_kw(self, ids: np.ndarray, start_s: float, end_s: float, interval_s: float) -> np.ndarray:
        """Constant power per client and interval [kW]."""
        n = max(int((end_s - start_s) // interval_s), 1)
        return np.repeat(self._p_kw(ids)[:, None], n, axis=1)


@dataclass(frozen=True)
class StressRun:
    """One simulated run: its request log, message log and per-kind summary."""

    clients: int
    retailers: int
    requests: pd.DataFrame
    messages: pd.DataFrame
    summary: pd.DataFrame
    denied: int
    in_flight: int


@dataclass(frozen=True)
class HubStressResult:
    """The replay's tables (pandas DataFrames) and KPIs."""

    spec: HubStressSpec
    per_minute: pd.DataFrame
    components: pd.DataFrame
    losses: pd.DataFrame
    experiments: dict[str, pd.DataFrame]
    kpis: dict[str, float]
    base: StressRun
    out_dir: Path | None = field(default=None)


def simulate(
    spec: HubStressSpec, clients: int, retailers: int, hub_spec: HubSpec, seed: int,
    tick: Callable[[float], None] | None = None,
) -> StressRun:  # fmt: skip
    """Run the DSO simulator against one hub set-up for `spec.duration_s` (plus a drain) and collect logs.

    `tick(seconds)` is called after each simulated minute (running SimPy in slices changes no result).
    """
    root = np.random.default_rng(seed)
    gen_rng, hub_rng, flex_rng = root.spawn(3)
    env = simpy.Environment()
    retailer_ids = [f"r{i + 1}" for i in range(retailers)]
    hub = MarketHub(
        env, hub_spec, hub_rng, retailer_ids, round_robin_portfolio(clients, retailer_ids), meter_data=StaticMeterData()
    )
    low, high = spec.declared_flexibility_kw
    for r in retailer_ids:
        ids = hub.access.portfolio(r)
        p = flex_rng.uniform(low, high, ids.size)
        hub.platform(r).declare(ids, p, 0.0, spec.duration_s + 7200.0, flex_rng.integers(1, 4, ids.size))
    portfolios = [hub.access.portfolio(r) for r in retailer_ids]
    for i, (kind, rtype) in enumerate(spec.request_types().items()):
        if rtype.rate_per_min > 0:
            env.process(_dso_simulator(env, hub, gen_rng, spec, kind, rtype, i, portfolios, retailer_ids))
    end = spec.duration_s + DRAIN_S
    for until in (*np.arange(60.0, end, 60.0), end):
        before = env.now
        env.run(until=until)
        if tick is not None:
            tick(until - before)
    return StressRun(
        clients, retailers, hub.request_log(), hub.message_log(), hub.summary(), hub.access.n_denied, hub.in_flight
    )


def _dso_simulator(
    env: simpy.Environment,
    hub: MarketHub,
    rng: np.random.Generator,
    spec: HubStressSpec,
    kind: str,
    rtype: RequestTypeSpec,
    index: int,
    portfolios: list[np.ndarray],
    retailer_ids: list[str],
) -> Generator[simpy.Event, Any, None]:
    interval = 60.0 / rtype.rate_per_min
    yield env.timeout(interval * index / len(REQUEST_KINDS))
    sent = 0
    while env.now < spec.duration_s:
        party, message = _make_request(env.now, rng, spec, kind, rtype, sent, portfolios, retailer_ids)
        hub.request(party, message, label=kind)
        sent += 1
        yield env.timeout(interval if spec.arrivals == "periodic" else rng.exponential(interval))


def _make_request(
    now: float,
    rng: np.random.Generator,
    spec: HubStressSpec,
    kind: str,
    rtype: RequestTypeSpec,
    sent: int,
    portfolios: list[np.ndarray],
    retailer_ids: list[str],
) -> tuple[Any, Message]:
    if kind == "billing":
        r = sent % len(retailer_ids)
        pool = portfolios[r]
        ids = client_ids(np.sort(rng.choice(pool, math.ceil(rtype.client_share * pool.size), replace=False)))
        return retailer(retailer_ids[r]), BillingRequest(retailer_ids[r], ids, max(now - 86400.0, 0.0), now)
    n = sum(p.size for p in portfolios)
    ids = client_ids(np.sort(rng.choice(n, math.ceil(rtype.client_share * n), replace=False)))
    if kind == "flexibility":
        p_kw = spec.flexibility_kw_per_client * ids.size
        return DSO, FlexibilityRequest("stress", ids, p_kw, now + 60.0, now + 960.0)
    if kind == "emergency":
        return DSO, EmergencyNotice("stress", ids, now + 300.0, 20.0)
    return DSO, LoadInformation("stress", ids, now + 60.0, now + 960.0, 400.0, 350.0)


def _latency_stats(lat_ms: pd.Series) -> dict[str, float]:
    if lat_ms.empty:
        return dict.fromkeys(LATENCY_COLUMNS, np.nan)
    q = lat_ms.quantile([0.5, 0.95, 0.99]).to_numpy()
    return {"mean_ms": lat_ms.mean(), "p50_ms": q[0], "p95_ms": q[1], "p99_ms": q[2]}


def per_minute_table(requests: pd.DataFrame, duration_s: float) -> pd.DataFrame:
    """Per request kind × minute of creation (1-based): counts by state and latency of the completed ones."""
    df = requests.assign(minute=(requests["created_s"] // 60).astype(int) + 1)
    rows = []
    for kind in sorted(df["kind"].unique()):
        for minute in range(1, math.ceil(duration_s / 60) + 1):
            g = df[(df["kind"] == kind) & (df["minute"] == minute)]
            rows.append(
                {
                    "kind": kind,
                    "minute": minute,
                    **_outcome_counts(g),
                    **_latency_stats(g["latency_s"].dropna() * 1000.0),
                }
            )
    return pd.DataFrame(rows)


def _outcome_counts(g: pd.DataFrame) -> dict[str, int]:
    """Requests sent, completed, lost and failed, and how many were retried, in a group of request rows."""
    return {
        "sent": len(g),
        "completed": int((g["state"] == "completed").sum()),
        "lost": int((g["state"] == "lost").sum()),
        "failed": int((g["state"] == "failed").sum()),
        "retried": int((g["retries"] > 0).sum()),
    }


def losses_table(requests: pd.DataFrame, duration_s: float) -> pd.DataFrame:
    """Per minute, all kinds together: sent, completed, lost, failed, retried, and the loss reasons seen."""
    df = requests.assign(minute=(requests["created_s"] // 60).astype(int) + 1)
    rows = []
    for minute in range(1, math.ceil(duration_s / 60) + 1):
        g = df[df["minute"] == minute]
        reasons = sorted(set(g.loc[g["state"] != "completed", "reason"]))
        rows.append(
            {
                "minute": minute,
                **_outcome_counts(g),
                "reasons": "; ".join(reasons),
            }
        )
    return pd.DataFrame(rows)


def components_table(run: StressRun) -> pd.DataFrame:
    """Per request kind: latency and the mean time on the critical path per component [ms]."""
    cols = ["kind", "completed", *LATENCY_COLUMNS, *COMPONENT_COLUMNS]
    return run.summary[cols].reset_index(drop=True)


def experiment_table(runs: list[StressRun], vary: str) -> pd.DataFrame:
    """Per experiment value × request kind (plus `all`): latency and component breakdown [ms]."""
    rows = []
    for run in runs:
        value = run.clients if vary == "clients" else run.retailers
        req = run.requests
        done = req[req["state"] == "completed"]
        for kind, g in [*done.groupby("kind", sort=True), ("all", done)]:
            parts = {c: g[c.replace("_ms", "_s")].mean() * 1000.0 for c in COMPONENT_COLUMNS[:3]}
            total = req if kind == "all" else req[req["kind"] == kind]
            rows.append(
                {
                    vary: value,
                    "kind": kind,
                    "sent": len(total),
                    "lost": int((total["state"] == "lost").sum()),
                    **_latency_stats(g["latency_s"] * 1000.0),
                    **parts,
                }
            )
    return pd.DataFrame(rows)


def _outage_window(spec: HubSpec) -> tuple[float, float] | None:
    if not spec.faults:
        return None
    return min(f.down_at_s for f in spec.faults), max(f.restart_at_s + f.boot_s for f in spec.faults)


def _mean_ms(req: pd.DataFrame, start_s: float, end_s: float) -> float:
    g = req[(req["created_s"] >= start_s) & (req["created_s"] < end_s)]
    return float(g["latency_s"].mean() * 1000.0) if g["latency_s"].notna().any() else float("nan")


def compute_kpis(spec: HubStressSpec, base: StressRun, experiments: dict[str, pd.DataFrame]) -> dict[str, float]:
    """The replay's KPIs: counts, latency percentiles per kind, outage losses, recovery and scaling ratios."""
    req = base.requests
    kpis: dict[str, float] = {
        "requests_sent": float(len(req) + base.in_flight),
        "requests_completed": float((req["state"] == "completed").sum()),
        "requests_failed": float((req["state"] == "failed").sum()),
        "requests_lost": float((req["state"] == "lost").sum()),
        "requests_in_flight_at_end": float(base.in_flight),
        "denied_accesses": float(base.denied),
    }
    for kind, g in req.groupby("kind", sort=True):
        for name, value in _latency_stats(g["latency_s"].dropna() * 1000.0).items():
            kpis[f"latency_{name.removesuffix('_ms')}_ms_{kind}"] = float(value)
    window = _outage_window(spec.hub)
    lost = req[req["state"] != "completed"]
    if window:
        down, up = window
        # requests already in flight when the hub fails are lost too: count those sent up to 30 s before.
        inside = (lost["created_s"] >= down - 30.0) & (lost["created_s"] < up)
        kpis["lost_outside_outage"] = float((~inside).sum())
        before = _mean_ms(req, 60.0, down)
        kpis["reboot_latency_ratio"] = _mean_ms(req, up, up + 60.0) / before
        kpis["recovery_latency_ratio"] = _mean_ms(req, up + 60.0, spec.duration_s) / before
    else:
        kpis["lost_outside_outage"] = float(len(lost))
    for name, table in experiments.items():
        overall = table[table["kind"] == "all"]["mean_ms"].to_numpy()
        kpis[f"{name}_latency_ratio"] = float(overall[-1] / overall[0])
        kpis[f"{name}_latency_monotonic"] = float(bool(np.all(np.diff(overall) > 0)))
    return kpis


def run_hub_stress(
    spec: HubStressSpec, out_dir: Path | None = None, progress: Callable[[float, float], None] | None = None
) -> HubStressResult:
    """Run the base set-up (with its faults) and every experiment; write Parquet tables if `out_dir` is given.

    `progress(done_s, total_s)` hears of the simulated seconds of all set-ups together, once a simulated minute.
    """
    if out_dir is not None:
        check_output_dir(out_dir)  # before the work: a directory cityflex may not replace is refused at once
    per_run = spec.duration_s + DRAIN_S
    total = per_run * (1 + sum(len(exp.values) for exp in spec.experiments))
    done = [0.0]

    def tick(seconds: float) -> None:
        done[0] += seconds
        if progress is not None:
            progress(done[0], total)

    base = simulate(spec, spec.clients, spec.retailers, spec.hub, spec.seed, tick)
    quiet_hub = spec.hub.model_copy(update={"faults": (), "random_faults": ()})
    experiments = {}
    for exp in spec.experiments:
        hub_spec = spec.hub if exp.faults else quiet_hub
        runs = [
            simulate(
                spec,
                v if exp.vary == "clients" else spec.clients,
                v if exp.vary == "retailers" else spec.retailers,
                hub_spec,
                spec.seed,
                tick,
            )
            for v in exp.values
        ]
        experiments[exp.name] = experiment_table(runs, exp.vary)
    result = HubStressResult(
        spec,
        per_minute_table(base.requests, spec.duration_s),
        components_table(base),
        losses_table(base.requests, spec.duration_s),
        experiments,
        compute_kpis(spec, base, experiments),
        base,
        out_dir,
    )
    if out_dir is not None:
        write_results(result, out_dir)
    return result


def write_results(result: HubStressResult, out_dir: Path) -> None:
    """Write every table as Parquet and the KPIs as JSON, atomically as one directory (`results.output_dir`)."""
    tables = {
        "per_minute": result.per_minute,
        "components": result.components,
        "losses": result.losses,
        "requests": result.base.requests,
        "messages": result.base.messages,
        **{f"experiment_{k}": v for k, v in result.experiments.items()},
    }
    try:
        with atomic_dir(out_dir, "hub_stress") as tmp:
            for name, df in tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            text = json.dumps(result.kpis, indent=2, sort_keys=True, allow_nan=True)
            (tmp / "kpis.json").write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ResultsError(f"{out_dir}: cannot write hub stress results: {exc}") from exc


def _fmt(df: pd.DataFrame) -> str:
    return df.to_string(index=False, float_format=lambda x: f"{x:.1f}", na_rep="-")


def format_hub_stress(result: HubStressResult) -> str:
    """Plain-text tables for the CLI: latency per minute, losses, component breakdown, experiments, KPIs."""
    s = result.spec
    parts = [f"{s.name}: {s.clients} clients, {s.retailers} retailer(s), {s.duration_s:.0f} s, seed {s.seed}"]
    for kind, g in result.per_minute.groupby("kind", sort=True):
        parts.append(f"\nLatency per minute — {kind} [ms]\n" + _fmt(g.drop(columns="kind")))
    parts.append("\nRequests per minute, all kinds (lost, failed, retried)\n" + _fmt(result.losses))
    parts.append("\nBreakdown per component, base set-up [ms]\n" + _fmt(result.components))
    for name, table in result.experiments.items():
        parts.append(f"\nExperiment: {name} [ms]\n" + _fmt(table))
    kpis = "\n".join(f"  {k} = {v:.3f}" for k, v in sorted(result.kpis.items()))
    parts.append("\nKPIs\n" + kpis)
    return "\n".join(parts)
