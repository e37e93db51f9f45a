"""The per-agent HEMS path: homes whose HEMS agent overrides `plan_day` are planned one agent at a time.

The fleet hands each such agent today's cycles and sessions as plain objects, calls its `plan_day` with the
home's prices, checks the answer, and writes it into the planned-load book in one batch. Its cost grows
with the number of these agents (see `bench/bench_agents.py`); every other HEMS stays in the vectorised plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from agents.controllers import ControllerError
from agents.evs.sessions import Sessions
from agents.hems.agent import Cycle, Hems, HomePlan, Session
from agents.households.loads import LoadBook
from agents.households.routines import Cycles
from agents.households.spec import APPLIANCES
from agents.planning import add_cycle_power, add_energy, charging_schedule


def overrides_plan(agent: Hems) -> bool:
    """True when the agent's class replaces the shipped decision."""
    return type(agent).plan_day is not Hems.plan_day


def subset(rows: Cycles | Sessions, keep: np.ndarray) -> Cycles | Sessions:
    """The cycles or sessions where `keep` is true."""
    return type(rows)(**{f.name: getattr(rows, f.name)[keep] for f in dataclasses.fields(rows)})


def plan_per_agent(
    agents: Sequence[Hems],
    book: LoadBook,
    cycles: Cycles,
    sessions: Sessions,
    prices: np.ndarray,
    tariff: np.ndarray,
    step_h: float,
) -> np.ndarray:
    """Ask each agent for today's plan, write it into `book`; return the energy each household moved [kWh]."""
    n = book.appliance_kw.shape[1]
    shifted = np.zeros(n)
    c_of = _by_household(cycles.household)
    s_of = _by_household(sessions.household)
    starts = cycles.earliest.copy()
    for agent in agents:
        row = agent.row
        ci, si = c_of.get(row, []), s_of.get(row, [])
        agent.cycles = [
            Cycle(APPLIANCES[cycles.appliance[i]], int(cycles.earliest[i]), int(cycles.latest_start[i]),
                  int(cycles.duration[i]), float(cycles.power_kw[i]))
            for i in ci
        ]  # fmt: skip
        agent.sessions = [
            Session(int(sessions.arrival[i]), int(sessions.departure[i]), float(sessions.energy_kwh[i]),
                    float(sessions.power_kw[i]))
            for i in si
        ]  # fmt: skip
        plan = agent.plan_day(prices[tariff[row]])
        starts[ci] = _checked_starts(agent, plan)
        shifted[row] += _write_ev(agent, plan, book, step_h)
    c = np.isin(cycles.household, [a.row for a in agents])
    add_cycle_power(book.appliance_kw, cycles.household[c], starts[c], cycles.duration[c], cycles.power_kw[c])
    moved = np.minimum(np.abs(starts[c] - cycles.earliest[c]), cycles.duration[c]) * cycles.power_kw[c] * step_h
    shifted += np.bincount(cycles.household[c], moved, minlength=n)
    return shifted


def _by_household(household: np.ndarray) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, h in enumerate(household.tolist()):
        out.setdefault(h, []).append(i)
    return out


def _checked_starts(agent: Hems, plan: HomePlan) -> list[int]:
    """The plan's cycle starts, each inside its cycle's window (else a `ControllerError` naming the agent)."""
    name = f"{type(agent).__qualname__}.plan_day (household row {agent.row})"
    if not isinstance(plan, HomePlan):
        raise ControllerError(f"{name} returned {type(plan).__name__}; expected a HomePlan")
    if len(plan.cycle_starts) != len(agent.cycles):
        raise ControllerError(f"{name}: {len(plan.cycle_starts)} cycle starts for {len(agent.cycles)} cycles")
    for c, start in zip(agent.cycles, plan.cycle_starts, strict=True):
        if not c.earliest <= start <= c.latest_start:
            raise ControllerError(
                f"{name}: {c.appliance} starts at step {start}; allowed {c.earliest} … {c.latest_start}"
            )
    return [int(s) for s in plan.cycle_starts]


def _write_ev(agent: Hems, plan: HomePlan, book: LoadBook, step_h: float) -> float:
    """Add the plan's EV power to the home's column of the book; the energy moved from plug-in charging [kWh]."""
    if not agent.sessions:
        return 0.0
    ss = agent.sessions
    arrival, departure = np.array([s.arrival for s in ss]), np.array([s.departure for s in ss])
    energy, power = np.array([s.energy_kwh for s in ss]), np.array([s.power_kw for s in ss])
    steps, kwh = charging_schedule(None, np.zeros(len(ss), dtype=np.int64), arrival, departure, energy, power, step_h)
    uncontrolled = np.zeros((book.ev_kw.shape[0], 1))
    add_energy(uncontrolled, np.zeros(len(ss), dtype=np.int64), steps, kwh, step_h)
    if plan.ev_kw is None:
        book.ev_kw[:, agent.row] += uncontrolled[:, 0]
        return 0.0
    ev_kw = np.asarray(plan.ev_kw, dtype=float)
    _check_ev(agent, ev_kw, book.ev_kw.shape[0], arrival, departure, power, energy.sum() / step_h)
    book.ev_kw[:, agent.row] += ev_kw
    return 0.5 * float(np.abs(ev_kw - uncontrolled[:, 0]).sum()) * step_h


def _check_ev(agent: Hems, ev_kw: np.ndarray, n_rows: int, arrival, departure, power, need_kw_steps: float) -> None:
    name = f"{type(agent).__qualname__}.plan_day (household row {agent.row})"
    if ev_kw.shape != (n_rows,):
        raise ControllerError(f"{name}: ev_kw has shape {ev_kw.shape}; expected ({n_rows},): today and tomorrow")
    plugged = np.zeros(n_rows)
    for a, d, p in zip(arrival, departure, power, strict=True):
        plugged[a:d] += p
    if (ev_kw < -1e-9).any() or (ev_kw > plugged + 1e-9).any():
        raise ControllerError(f"{name}: ev_kw must be within 0 and the charger power while plugged in")
    if abs(ev_kw.sum() - need_kw_steps) > 1e-6 * max(need_kw_steps, 1.0):
        raise ControllerError(
            f"{name}: ev_kw delivers {ev_kw.sum():.4f} kW·steps; the sessions need {need_kw_steps:.4f}"
        )
