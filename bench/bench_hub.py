"""Messages per second through the market hub at the UPGRID 10,000-client set-up (seed 004); prints figures.

Usage: .venv/bin/python bench/bench_hub.py [--repeat N]
A "message" is one hop in the message log (a bulk hop to many HEMS counts once); client deliveries count
each client a message reached.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.hub_stress.replay import simulate
from simulator.hub_stress.spec import load_hub_stress

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "upgrid_mhp_stress.toml"


def _case(label: str, spec, clients: int, retailers: int, hub_spec, repeat: int) -> None:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run = simulate(spec, clients, retailers, hub_spec, spec.seed)
        best = min(best, time.perf_counter() - t0)
    msgs = len(run.messages)
    reqs = len(run.requests)
    deliveries = int(run.messages["n_clients"].sum())
    print(
        f"{label:<44} {reqs:>7,} req {msgs:>8,} msg  {best:6.2f} s wall  "
        f"{msgs / best:>9,.0f} msg/s  {reqs / best:>7,.0f} req/s  {deliveries / best / 1e6:6.2f} M client-msg/s  "
        f"sim/wall {(spec.duration_s + 120) / best:5.0f}x"
    )


def main() -> None:
    """Run the benchmark cases and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is shown")
    args = parser.parse_args()
    spec = load_hub_stress(SCENARIO)
    quiet = spec.hub.model_copy(update={"faults": ()})
    print(f"scenario {SCENARIO.name}, {spec.duration_s:.0f} s simulated per run, best of {args.repeat}")
    _case("paper rate 4 x 30/min, 10,000 clients, 1 RP", spec, 10_000, 1, quiet, args.repeat)
    _case("paper rate 4 x 30/min, 10,000 clients, 10 RPs", spec, 10_000, 10, quiet, args.repeat)
    fast = spec.model_copy(
        update={k: t.model_copy(update={"rate_per_min": 600.0}) for k, t in spec.request_types().items()}
    )
    # a bigger hub, so the simulated platform keeps up and every request runs its whole flow.
    big_hub = quiet.model_copy(
        update={
            "components": quiet.components.model_copy(
                update={
                    "hub": quiet.components.hub.model_copy(update={"capacity": 64}),
                    "storage": quiet.components.storage.model_copy(update={"capacity": 64}),
                }
            )
        }
    )
    _case("20x rate 4 x 600/min, 10,000 clients, 1 RP", fast, 10_000, 1, big_hub, args.repeat)
    _case("20x rate 4 x 600/min, 10,000 clients, 10 RPs", fast, 10_000, 10, big_hub, args.repeat)


if __name__ == "__main__":
    main()
