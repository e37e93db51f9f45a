"""Read a smart-meter CSV (`meter_id,timestamp,energy_kwh`) in streamed blocks into numeric arrays.

City-zen's recommendation (seed 003): one simple CSV format for every data provider. This is the long
layout of the time-series CSV convention (`market.timeseries_csv`), streamed because meter files are
large: a key column, then the time column (here `timestamp`), then the amount. Timestamps are
ISO 8601 with a UTC offset and mark the start of the metered interval; energy is the interval's
consumption in kWh. The file is read with pyarrow's streaming reader, block by block; only numeric
arrays (meter index, UTC seconds, kWh, line number) are kept. A malformed row stops the import with
the file, line and reason (`DataError`), or with `lenient` is skipped and counted. Malformed includes a row
that is not UTF-8 text, and a reading above `MAX_READING_KWH` (no household meter reads that in one interval).
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from market.input_file import InputFileError, open_input
from market.timeseries_csv import UTC_OFFSET
from simulator.errors import DataError

COLUMNS = ("meter_id", "timestamp", "energy_kwh")
_OFFSET = UTC_OFFSET.pattern
BLOCK_BYTES = 1 << 22
#: Largest plausible reading: the largest BTN connection (41.4 kVA, DOMAIN.md) over the longest interval a file
#: may have (60 min) is 41.4 kWh; rounded up to 50 kWh. Above it a reading is not a household's.
MAX_READING_KWH = 50.0


@dataclass
class MeterRecords:
    """Valid rows of a meter file as arrays, and what was skipped (reason → rows)."""

    meter: np.ndarray  # int, index into the known meter ids
    utc_s: np.ndarray  # int64 seconds since the epoch (UTC), start of the interval
    energy_kwh: np.ndarray
    line: np.ndarray  # physical line number in the file (header = 1)
    rows_read: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


class _Problems:
    """Collects malformed rows: raises at the first one, or counts them when lenient."""

    def __init__(self, path: Path, lenient: bool) -> None:
        self.path, self.lenient = path, lenient
        self.skipped: dict[str, int] = {}

    def report(self, reason: str, lines: np.ndarray, detail: list[str]) -> None:
        if len(lines) == 0:
            return
        if not self.lenient:
            i = int(np.argmin(lines))
            raise DataError(
                f"{self.path}, line {int(lines[i])}: {reason}: {_one_line(detail[i])} "
                "(fix the row, or set households.meter_data.lenient = true to skip and count such rows)"
            )
        self.skipped[reason] = self.skipped.get(reason, 0) + len(lines)


def _one_line(text: str, limit: int = 100) -> str:
    """A row's text as it can stand in a one-line message: control characters escaped, cut to `limit`."""
    shown = text if text.isprintable() else repr(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 1]}…"


def read_meter_csv(path: Path, meter_ids: list[str], *, lenient: bool = False) -> MeterRecords:
    """Stream `path` into arrays; meters not in `meter_ids` are malformed rows ('unknown meter')."""
    problems = _Problems(path, lenient)
    invalid: list[tuple[int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number or -1, row.text))
        return "skip"

    reader = _open(path, on_invalid)
    known = pa.array(meter_ids, type=pa.string())
    parts: list[tuple[np.ndarray, ...]] = []
    done = 0  # valid rows before this block
    bad_lines: list[int] = []
    try:
        for batch in reader:
            _report_invalid(problems, invalid, bad_lines)
            lines = _line_numbers(done, batch.num_rows, np.array(bad_lines, dtype=np.int64))
            done += batch.num_rows
            parts.append(_convert(batch, known, lines, problems))
        _report_invalid(problems, invalid, bad_lines)
    except pa.ArrowInvalid as exc:
        raise DataError(f"{path}: cannot parse as CSV: {exc}") from None
    records = _concat(parts)
    records.rows_read = done + len(bad_lines)
    _drop_duplicates(records, problems)
    records.skipped = problems.skipped
    return records


REPLACED = "\ufffd"


class _Utf8Replaced(io.RawIOBase):
    """A byte stream with every byte that is not UTF-8 replaced by U+FFFD, so a bad row is a row we can flag.

    pyarrow decodes a malformed row's text before our handler sees it and fails the whole read on a bad byte
    (even when lenient); valid UTF-8 passes through unchanged.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = self.raw.read(max(len(buffer), 1))
            self.pending = self.decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                break
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _open(path: Path, on_invalid) -> pacsv.CSVStreamingReader:
    try:
        source = open_input(path)  # refuses FIFOs, symlink loops, directories before pyarrow reads a byte
    except InputFileError as exc:
        raise DataError(f"{path}: meter data file: {exc}") from None
    try:
        reader = pacsv.open_csv(
            _Utf8Replaced(source),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, pa.string())),
        )
    except FileNotFoundError:
        raise DataError(f"{path}: meter data file not found") from None
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"{path}: cannot read meter data: {exc}") from None
    if tuple(reader.schema.names) != COLUMNS:
        raise DataError(f"{path}, line 1: header must be {','.join(COLUMNS)} (got {','.join(reader.schema.names)})")
    return reader


def _report_invalid(problems: _Problems, invalid: list[tuple[int, str]], bad_lines: list[int]) -> None:
    if invalid:
        lines = np.array([n for n, _ in invalid], dtype=np.int64)
        problems.report("bad row (expected 3 values: meter_id,timestamp,energy_kwh)", lines, [t for _, t in invalid])
        bad_lines.extend(lines.tolist())
        invalid.clear()


def _line_numbers(before: int, n: int, bad_lines: np.ndarray) -> np.ndarray:
    """Physical lines of valid rows `before … before+n−1`, given the (sorted) lines of skipped rows."""
    i = np.arange(before, before + n, dtype=np.int64)
    inserted_before = np.sort(bad_lines) - np.arange(len(bad_lines)) - 2  # valid rows ahead of each bad line
    return i + 2 + np.searchsorted(inserted_before, i, side="right")


def _convert(batch: pa.RecordBatch, known: pa.Array, lines: np.ndarray, problems: _Problems) -> tuple:
    meter_col, time_col, energy_col = (batch.column(c) for c in COLUMNS)
    keep = np.ones(batch.num_rows, dtype=bool)

    def flag(bad: np.ndarray, reason: str, values: pa.Array) -> None:
        bad &= keep
        idx = np.flatnonzero(bad)
        problems.report(reason, lines[idx], [repr(v) for v in values.take(pa.array(idx)).to_pylist()])
        keep[idx] = False

    not_text = np.zeros(batch.num_rows, dtype=bool)
    for col in (meter_col, time_col, energy_col):  # bytes that were not UTF-8 arrive as U+FFFD (`_Utf8Replaced`)
        not_text |= pc.fill_null(pc.match_substring(col, REPLACED), False).to_numpy(zero_copy_only=False)
    flag(not_text, "not UTF-8 text", meter_col)
    blank = pc.and_(pc.equal(meter_col, ""), pc.equal(time_col, "")).to_numpy(zero_copy_only=False)
    flag(blank & pc.equal(energy_col, "").to_numpy(zero_copy_only=False), "empty line", meter_col)
    meter = pc.index_in(meter_col, value_set=known).to_numpy(zero_copy_only=False)
    flag(np.isnan(meter.astype(float)), "unknown meter", meter_col)
    has_offset = pc.fill_null(pc.match_substring_regex(time_col, _OFFSET), False).to_numpy(zero_copy_only=False)
    stamps = pd.to_datetime(time_col.to_numpy(zero_copy_only=False), utc=True, errors="coerce", format="ISO8601")
    flag(~has_offset | np.asarray(stamps.isna()), "bad timestamp (ISO 8601 with a UTC offset expected)", time_col)
    energy = pd.to_numeric(energy_col.to_numpy(zero_copy_only=False), errors="coerce").astype(np.float64)
    flag(~np.isfinite(energy), "bad energy (a number of kWh expected)", energy_col)
    flag(energy < 0, "negative energy", energy_col)
    flag(energy > MAX_READING_KWH, f"implausible energy (above {MAX_READING_KWH:g} kWh in one reading)", energy_col)
    utc_s = stamps.asi8[keep] // 1_000_000_000 if stamps.asi8 is not None else np.zeros(0, np.int64)
    return (np.nan_to_num(meter[keep]).astype(np.int64), utc_s, energy[keep], lines[keep])


def _concat(parts: list[tuple]) -> MeterRecords:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return MeterRecords(empty, empty, np.zeros(0), empty)
    meter, utc_s, energy, line = (np.concatenate(c) for c in zip(*parts, strict=True))
    return MeterRecords(meter, utc_s, energy, line)


def _drop_duplicates(records: MeterRecords, problems: _Problems) -> None:
    """A second row for the same (meter, timestamp) is malformed: the first one counts."""
    order = np.lexsort((records.line, records.utc_s, records.meter))
    m, t = records.meter[order], records.utc_s[order]
    dup = np.zeros(len(order), dtype=bool)
    dup[1:] = (m[1:] == m[:-1]) & (t[1:] == t[:-1])
    if dup.any():
        first = records.line[order][np.flatnonzero(dup) - 1]
        detail = [f"same meter and timestamp as line {int(f)}" for f in first]
        problems.report("duplicate key", records.line[order][dup], detail)
    keep = np.sort(order[~dup])
    for name in ("meter", "utc_s", "energy_kwh", "line"):
        setattr(records, name, getattr(records, name)[keep])
