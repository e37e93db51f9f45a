"""Print a hash of every table and of kpis.json of the shipped city scenarios (CI scale): the refactor check.

`python bench/result_hashes.py OUT_DIR` runs quickstart, lisbon_district, meter_demo and the three pilots
(shrunk as `tests/simulator/test_pilot_scenarios.py` shrinks them), writes each run under OUT_DIR and
prints one line per table: `scenario/table.parquet <sha256 of pandas' row hashes>`. Two code versions
that print the same lines give bit-identical results. `--compare FILE` diffs against saved lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.runner import run
from simulator.scenario import load_scenario

SCENARIOS = ROOT / "scenarios"
CI_SCALE = {"lisbon_upgrid": 0.02, "lisbon_sharing_cities": 0.1, "grenoble_cityzen": 0.2}
NAMES = ("quickstart", "lisbon_district", "meter_demo", *CI_SCALE)
VOLATILE_KPIS = ()  # kpis.json holds no wall times (they are in meta.json)


def table_hash(path: Path) -> str:
    """Hash of a Parquet table's values, index and column names (independent of the file's metadata)."""
    frame = pd.read_parquet(path)
    h = hashlib.sha256(",".join(map(str, frame.columns)).encode())
    h.update(str(list(frame.dtypes)).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.hexdigest()[:16]


def kpi_hash(path: Path) -> str:
    """Hash of kpis.json with sorted keys."""
    return hashlib.sha256(json.dumps(json.loads(path.read_text()), sort_keys=True).encode()).hexdigest()[:16]


def run_one(name: str, out: Path) -> list[str]:
    """Run scenario `name` at CI scale into `out/name`; its hash lines."""
    text = (SCENARIOS / f"{name}.toml").read_text().replace('"data/', f'"{SCENARIOS}/data/')
    if name in CI_SCALE:
        text = re.sub(r"(?m)^scale = .*$", f"scale = {CI_SCALE[name]}", text)
    out.mkdir(parents=True, exist_ok=True)
    toml = out / f"{name}.toml"
    toml.write_text(text)
    run(load_scenario(toml), out / name, parallel_baseline=False)
    lines = [f"{name}/{p.name} {table_hash(p)}" for p in sorted((out / name).glob("*.parquet"))]
    lines.append(f"{name}/kpis.json {kpi_hash(out / name / 'kpis.json')}")
    return lines


def main() -> int:
    """Run, print hashes, optionally compare with a saved file (exit 1 on any difference)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="directory for the runs' results")
    parser.add_argument("--only", nargs="*", default=list(NAMES), help="scenarios to run")
    parser.add_argument("--compare", type=Path, help="saved hash lines to compare against")
    args = parser.parse_args()
    lines = [line for name in args.only for line in run_one(name, args.out)]
    print("\n".join(lines))
    if args.compare is None:
        return 0
    saved = dict(line.split() for line in args.compare.read_text().splitlines() if line.strip())
    differ = [line for line in lines if saved.get(line.split()[0]) != line.split()[1]]
    for line in differ:
        print(f"DIFFERS: {line} (reference {saved.get(line.split()[0])})")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
