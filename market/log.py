"""The hub's tables: the message log (one row per hop, `messages.parquet`), the request log, and summaries.

Message log columns (one row per message hop; a bulk hop to many HEMS is one row):

- message_id (int): order of the hop in the log.
- request_id (int), attempt (int, 0 = first try): the request the message belongs to.
- request_kind (str): the flow, e.g. `flexibility`, `billing`.
- message_kind (str): the message, e.g. `availability_query`.
- src, dst (str): components (`dso`, `hub`, `storage`, `platform:<retailer>`, `hems`, `meter`, `external`).
- n_clients (int): clients the message touches.
- sent_s, arrived_s, start_s, end_s (float, s since start): left the sender, reached the destination (first
  arrival for a bulk hop), service began, service ended (last HEMS for a bulk hop); NaN where it never happened.
- outcome (str): delivered, dropped_down (destination down), dropped_crash (destination failed while holding
  it), rejected_queue_full.

Request log columns: request_id, kind, origin, state (completed/failed/lost), reason, created_s, ended_s,
latency_s (completed only, else NaN), attempts, retries, n_clients, and `<group>_s` for the time on the
critical path per component group (network, dso, hub, storage, platform, hems, meter, timeout_wait, retry_wait).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from market.interfaces import COMPLETED, FAILED, LOST, OPEN_AT_END, RequestResult
from market.network import Network

PART_GROUPS = (
    "network",
    "dso",
    "hub",
    "storage",
    "platform",
    "hems",
    "meter",
    "external",
    "timeout_wait",
    "retry_wait",
)


def message_table(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """The message log as a DataFrame with the documented columns and dtypes."""
    df = pd.DataFrame.from_records(list(rows), columns=list(Network.LOG_COLUMNS))
    for col in ("message_id", "request_id", "attempt", "n_clients"):
        df[col] = df[col].astype("int64")
    for col in ("sent_s", "arrived_s", "start_s", "end_s"):
        df[col] = df[col].astype("float64")
    for col in ("request_kind", "message_kind", "src", "dst", "outcome"):
        df[col] = df[col].astype("string")
    return df


def request_table(results: Sequence[RequestResult]) -> pd.DataFrame:
    """One row per finished request, with its latency and per-component times."""
    cols: dict[str, list[Any]] = {
        k: []
        for k in ("request_id", "kind", "origin", "state", "reason", "created_s", "ended_s", "attempts", "n_clients")
    }
    parts: dict[str, list[float]] = {g: [] for g in PART_GROUPS}
    for r in results:
        for k, v in zip(
            cols,
            (r.request_id, r.kind, r.origin, r.state, r.reason, r.created_s, r.ended_s, r.attempts, r.n_clients),
            strict=True,
        ):
            cols[k].append(v)
        for g, values in parts.items():
            values.append(r.parts_s.get(g, 0.0))
    df = pd.DataFrame(cols)
    df = df.astype(
        {"request_id": "int64", "created_s": "float64", "ended_s": "float64", "attempts": "int64", "n_clients": "int64"}
    )
    df["latency_s"] = np.where(df["state"] == COMPLETED, df["ended_s"] - df["created_s"], np.nan)
    df["retries"] = df["attempts"] - 1
    for g, values in parts.items():
        df[f"{g}_s"] = np.asarray(values, dtype=float)
    return df


def summarise(requests: pd.DataFrame, denied: int = 0) -> pd.DataFrame:
    """Per request kind: counts by terminal state, retries, latency mean/p50/p95/p99 [ms], component means [ms]."""
    rows = []
    for kind, g in requests.groupby("kind", sort=True):
        lat = g["latency_s"].dropna() * 1000.0
        done = g[g["state"] == COMPLETED]
        row = {
            "kind": kind,
            "sent": len(g),
            "completed": int((g["state"] == COMPLETED).sum()),
            "failed": int((g["state"] == FAILED).sum()),
            "lost": int((g["state"] == LOST).sum()),
            "open_at_end": int((g["state"] == OPEN_AT_END).sum()),
            "retried": int((g["retries"] > 0).sum()),
            "retries": int(g["retries"].sum()),
            "mean_ms": lat.mean() if len(lat) else np.nan,
            "p50_ms": lat.quantile(0.5) if len(lat) else np.nan,
            "p95_ms": lat.quantile(0.95) if len(lat) else np.nan,
            "p99_ms": lat.quantile(0.99) if len(lat) else np.nan,
        }
        for grp in PART_GROUPS:
            row[f"{grp}_ms"] = done[f"{grp}_s"].mean() * 1000.0 if len(done) else np.nan
        rows.append(row)
    df = pd.DataFrame(rows)
    df.attrs["denied_accesses"] = denied
    return df
