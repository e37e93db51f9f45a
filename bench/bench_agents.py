"""Cost of the two HEMS paths and of Mesa agent sets at city scale: vectorised fleet vs per-agent `plan_day`.

Usage: .venv/bin/python bench/bench_agents.py [HOUSEHOLDS]   (default 14,000: the Lisbon parish)
Builds lisbon_district grown to HOUSEHOLDS homes (one day), every home with a HEMS, and times one day's
HEMS planning (a) vectorised for every home (the shipped `plan_day`), and (b) per agent: every HEMS agent
of a subclass that calls the shipped rule in plain Python (`Hems.plan_day`). Also times reading one
attribute over all household agents through Mesa (`agents_by_type[Household].get`). Prints figures
per agent-day and per agent-step (a day has 96 steps); asserts nothing.
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents.fleet import DayContext
from agents.hems.agent import Hems, HomePlan
from agents.households.agent import Household
from simulator.model import CityModel
from simulator.scenario import read_toml, scenario_from_dict


class PerAgentHems(Hems):
    """The shipped rule, one agent at a time (what a student's subclass costs at least)."""

    def plan_day(self, prices: np.ndarray) -> HomePlan:
        return super().plan_day(prices)


def district(households: int, controller: str):
    """lisbon_district grown to `households` homes over 70-home substations, one day, every home with a HEMS."""
    data = copy.deepcopy(read_toml(ROOT / "scenarios" / "lisbon_district.toml"))
    substations = max(1, households // 70)
    data.update(horizon_days=1, name="bench_agents")
    data["grid"].update(substations=substations, households_per_substation=70, mv_feeders=max(1, substations // 10))
    data["households"]["hems_share"] = 1.0
    data["hems"] = {"controller": controller}
    data.pop("hub", None)
    data.pop("expect", None)
    return scenario_from_dict(data, source="bench agents")


def day_planning_s(model: CityModel, repeats: int = 3) -> float:
    """Median wall time of the HEMS fleet's day planning (the day's cycles, sessions and responses drawn once)."""
    sc, spd = model.scenario, model.scenario.steps_per_day
    ctx = DayContext(0, model.prices[:, : 2 * spd], model.events[:, 0], spd, sc.step_h)
    model.fleet["households"].start_day(0, ctx)
    model.fleet["evs"].start_day(0, ctx)
    hems, book = model.fleet["hems"], model.book
    times = []
    for _ in range(repeats):
        book.appliance_kw[:] = 0.0
        book.ev_kw[:] = 0.0
        t0 = time.perf_counter()
        hems.start_day(0, ctx)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Print per-agent costs of both paths and of a Mesa attribute read."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 14_000
    vec = CityModel(district(n, ""))
    per = CityModel(district(n, "bench_agents:PerAgentHems"))
    n_hems = len(vec.hems)
    spd = vec.scenario.steps_per_day
    t_vec, t_per = day_planning_s(vec), day_planning_s(per)
    print(f"{n_hems} HEMS, one day ({spd} steps), planning once a day")
    for name, t in (("vectorised (fleet)", t_vec), ("per agent (plan_day)", t_per)):
        per_day = t / n_hems * 1e6
        print(
            f"  {name:<22} {t * 1e3:8.1f} ms a day  {per_day:8.2f} µs per agent-day  "
            f"{per_day / spd:7.3f} µs per agent-step"
        )
    print(f"  per-agent / vectorised {t_per / t_vec:8.1f}×")
    agents = vec.agents_by_type[Household]
    t0 = time.perf_counter()
    for _ in range(5):
        agents.get("bill_eur")
    t_get = (time.perf_counter() - t0) / 5
    print(
        f"agents_by_type[Household].get('bill_eur') over {len(agents)} agents: {t_get * 1e3:.2f} ms "
        f"({t_get / len(agents) * 1e6:.2f} µs per agent); the fleet array itself: 0 copies"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
