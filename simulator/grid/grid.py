"""The district's grid as the engine sees it: build it from the scenario, solve a step, get a `GridReport`.

pandapower's net is the source of truth and `runpp` the reference solver; the per-step solve runs on the
backend the scenario names (`power_flow`): "pandapower", "zbus" (the fast solver in
`simulator.grid.powerflow_zbus`, tested to agree with `runpp`), or "auto" (= "zbus" where it applies).
A power flow that does not converge is no exception: the report says so and the engine records a
`GridNotConverged` event.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandapower as pp
from pandapower.powerflow import LoadflowNotConverged

from simulator.errors import GridSetupError
from simulator.grid.build import GridLayout, build_layout, lv_feeder_of_loads, substation_of_buses
from simulator.grid.powerflow import PandapowerFlow, PowerFlowResult, set_household_power
from simulator.grid.powerflow_3ph import ThreePhaseFlow, household_phases
from simulator.grid.powerflow_zbus import ZbusFlow
from simulator.grid.spec import GridSpec, UnbalancedSpec

BACKENDS = ("auto", "pandapower", "zbus")


@dataclass(frozen=True, eq=False)
class GridReport:
    """The grid's state after one step's power flow; consumption positive, NaN numbers when not converged."""

    converged: bool
    ext_grid_p_kw: float  # import at the external grid
    ext_grid_q_kvar: float
    losses_kw: float  # lines + transformers: sum(p_kw) + losses_kw == ext_grid_p_kw
    trafo_p_kw: np.ndarray  # per substation, into the transformer's HV side
    trafo_loading_pct: np.ndarray  # per substation, pandapower's loading_percent
    line_loading_pct_max: float  # over all lines
    substation_line_loading_pct_max: np.ndarray  # per substation, over its LV lines
    vm_min_pu: float  # over all buses
    vm_max_pu: float
    substation_vm_min_pu: np.ndarray  # per substation, over its LV buses
    substation_vm_max_pu: np.ndarray
    household_vm_pu: np.ndarray  # at each household's connection bus
    cause: str = ""  # why it did not converge, else ""


@dataclass(frozen=True)
class GridNotConverged:
    """Event: the step's power flow did not converge (after pandapower's `LoadflowNotConverged`)."""

    step: int
    cause: str


class Grid:
    """A built network, its household and substation index arrays, and the chosen power-flow backend."""

    def __init__(
        self,
        net: pp.pandapowerNet,
        *,
        power_flow: str = "auto",
        household_feeder: np.ndarray | None = None,
        substation_names: list[str] | None = None,
        unbalanced: UnbalancedSpec | None = None,
        three_phase_rows: np.ndarray | None = None,
    ) -> None:
        """Take any net whose `load` rows are the households (set to zero here) and one trafo per substation.

        Meshed nets are fine. Raises ValueError for an unknown backend or a household cut off from the slack.
        """
        if power_flow not in BACKENDS:
            raise ValueError(f"{power_flow!r} is not a valid power-flow backend; choose one of {BACKENDS}")
        self.net = net
        self.n_households = len(net.load)
        net.load["in_service"] = True
        set_household_power(net, np.zeros(self.n_households), np.zeros(self.n_households))
        self._reference = PandapowerFlow(net)
        # one solve to build pandapower's internal model; without numba's per-process compile (~3 s)
        try:
            self._reference.run(np.zeros(self.n_households), np.zeros(self.n_households), numba=False)
        except LoadflowNotConverged:
            raise GridSetupError(
                "grid: the power flow does not converge even with no load; shorten the lines "
                "(grid.mv_section_km, grid.lv_section_m) or spread the substations over more feeders (grid.mv_feeders)"
            ) from None
        bus_pos = net.bus.index.get_indexer(net.load["bus"])
        self.household_bus = net.load["bus"].to_numpy(dtype=np.int64)
        self._check_connected(bus_pos)
        bus_substation = substation_of_buses(net)
        self.household_substation = bus_substation[bus_pos]
        feeder = lv_feeder_of_loads(net) if household_feeder is None else household_feeder
        self.household_feeder = np.asarray(feeder, dtype=np.int64)
        self.substation_names = substation_names or [f"ss{k}" for k in range(len(net.trafo))]
        self._groups = _SubstationGroups(net, bus_substation, bus_pos, len(self.substation_names))
        zbus_applies = not net.gen["in_service"].any()  # Z-bus handles PQ buses and slacks, not PV buses
        self.backend = "zbus" if power_flow == "zbus" or (power_flow == "auto" and zbus_applies) else "pandapower"
        self.household_phase = household_phases(self.n_households, three_phase_rows)
        self._three_phase = ThreePhaseFlow(net, self.household_phase, unbalanced) if unbalanced else None
        if self._three_phase is not None:
            self.backend = "pandapower_3ph"
        self._zbus = ZbusFlow(net) if self.backend == "zbus" else None
        self.zbus_fallbacks = 0  # steps the Z-bus solver handed to runpp

    def clone(self) -> Grid:
        """An independent twin over the same network (own net copy and solver state, shared factorisation).

        What the baseline model uses, so a run builds and factorises its grid once.
        """
        twin = copy.copy(self)
        twin.net = copy.deepcopy(self.net)
        twin._reference = PandapowerFlow(twin.net)
        if self._zbus is not None:
            twin._zbus = self._zbus.clone()
        twin._three_phase = copy.deepcopy(self._three_phase)
        twin.zbus_fallbacks = 0
        return twin

    @classmethod
    def from_layout(
        cls, layout: GridLayout, power_flow: str = "auto", unbalanced: UnbalancedSpec | None = None
    ) -> Grid:
        """A grid over a builder's layout (build it, edit `layout.net` if you like, then wrap it)."""
        return cls(
            layout.net,
            power_flow=power_flow,
            household_feeder=layout.household_feeder,
            substation_names=layout.substation_names,
            unbalanced=unbalanced,
        )

    def _check_connected(self, bus_pos: np.ndarray) -> None:
        cut_off = np.isnan(self.net.res_bus["vm_pu"].to_numpy()[bus_pos])
        if cut_off.any():
            rows = np.flatnonzero(cut_off)
            raise GridSetupError(
                f"grid: {len(rows)} household(s) not connected to the slack, e.g. rows {rows[:5].tolist()}"
            )

    def solve(self, p_kw: np.ndarray, q_kvar: np.ndarray) -> GridReport:
        """Solve one step with the households' power [kW, kvar], consumption positive."""
        p_kw, q_kvar = self._checked(p_kw, q_kvar)
        if not (np.isfinite(p_kw).all() and np.isfinite(q_kvar).all()):
            return self._failed("household power is not finite")
        if self._three_phase is not None:
            try:
                return self._report(self._three_phase.run(p_kw, q_kvar))
            except LoadflowNotConverged as exc:
                return self._failed(f"unbalanced power flow did not converge: {exc}")
        if self._zbus is not None:
            result = self._zbus.run(p_kw, q_kvar)
            if result is not None:
                return self._report(result)
            self.zbus_fallbacks += 1
        return self.solve_reference(p_kw, q_kvar)

    def solve_reference(self, p_kw: np.ndarray, q_kvar: np.ndarray) -> GridReport:
        """Solve with pandapower's `runpp` whatever the backend: the reference the fast path is tested against."""
        p_kw, q_kvar = self._checked(p_kw, q_kvar)
        try:
            result = self._reference.run(p_kw, q_kvar)
        except LoadflowNotConverged as exc:
            return self._failed(f"power flow did not converge: {exc}")
        return self._report(result)

    def _checked(self, p_kw: np.ndarray, q_kvar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p_kw, q_kvar = np.asarray(p_kw, dtype=np.float64), np.asarray(q_kvar, dtype=np.float64)
        if p_kw.shape != (self.n_households,) or q_kvar.shape != (self.n_households,):
            raise ValueError(
                f"expected p_kw and q_kvar of shape ({self.n_households},), got {p_kw.shape} and {q_kvar.shape}"
            )
        return p_kw, q_kvar

    def _report(self, result: PowerFlowResult) -> GridReport:
        g = self._groups
        vm_max = result.vm_pu if result.vm_max_pu is None else result.vm_max_pu
        return GridReport(
            converged=True,
            ext_grid_p_kw=result.ext_grid_p_mw * 1000.0,
            ext_grid_q_kvar=result.ext_grid_q_mvar * 1000.0,
            losses_kw=result.losses_mw * 1000.0,
            trafo_p_kw=result.trafo_p_hv_mw * 1000.0,
            trafo_loading_pct=result.trafo_loading_pct,
            line_loading_pct_max=float(np.nanmax(result.line_loading_pct, initial=0.0)),
            substation_line_loading_pct_max=g.lines.reduce(np.fmax, result.line_loading_pct),
            vm_min_pu=float(np.nanmin(result.vm_pu)),
            vm_max_pu=float(np.nanmax(vm_max)),
            substation_vm_min_pu=g.buses.reduce(np.fmin, result.vm_pu),
            substation_vm_max_pu=g.buses.reduce(np.fmax, vm_max),
            household_vm_pu=self._household_vm(result, g.household_bus_pos),
        )

    def _household_vm(self, result: PowerFlowResult, bus_pos: np.ndarray) -> np.ndarray:
        """Each household's voltage: at its bus, on its own phase where it connects on one."""
        if result.vm_phase_pu is None:
            return result.vm_pu[bus_pos]
        phase = self.household_phase
        own = result.vm_phase_pu[bus_pos, np.clip(phase, 0, 2)]
        return np.where(phase >= 0, own, result.vm_pu[bus_pos])

    def _failed(self, cause: str) -> GridReport:
        n_ss = len(self.substation_names)
        return GridReport(
            converged=False,
            ext_grid_p_kw=np.nan,
            ext_grid_q_kvar=np.nan,
            losses_kw=np.nan,
            trafo_p_kw=np.full(len(self.net.trafo), np.nan),
            trafo_loading_pct=np.full(len(self.net.trafo), np.nan),
            line_loading_pct_max=np.nan,
            substation_line_loading_pct_max=np.full(n_ss, np.nan),
            vm_min_pu=np.nan,
            vm_max_pu=np.nan,
            substation_vm_min_pu=np.full(n_ss, np.nan),
            substation_vm_max_pu=np.full(n_ss, np.nan),
            household_vm_pu=np.full(self.n_households, np.nan),
            cause=cause,
        )


def build_grid(spec: GridSpec) -> Grid:
    """Build the network a `[grid]` section describes, with the backend it asks for."""
    return Grid.from_layout(build_layout(spec), power_flow=spec.power_flow, unbalanced=spec.unbalanced)


class _Groups:
    """Rows of an element table grouped by substation, for vectorised per-substation min/max."""

    def __init__(self, substation: np.ndarray, n_substations: int) -> None:
        owned = np.flatnonzero(substation >= 0)
        self._order = owned[np.argsort(substation[owned], kind="stable")]
        counts = np.bincount(substation[owned], minlength=n_substations)
        self._starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        self._empty = counts == 0

    def reduce(self, ufunc: np.ufunc, values: np.ndarray) -> np.ndarray:
        """`ufunc.reduceat` over each substation's rows; NaN for a substation with none."""
        if len(self._order) == 0:
            return np.full(len(self._empty), np.nan)
        out = ufunc.reduceat(values[self._order], np.minimum(self._starts, len(self._order) - 1))
        out[self._empty] = np.nan
        return out


class _SubstationGroups:
    """Which buses and lines belong to each substation's LV side, and where each household's bus sits."""

    def __init__(self, net: pp.pandapowerNet, bus_substation: np.ndarray, household_bus_pos, n_ss: int) -> None:
        self.buses = _Groups(bus_substation, n_ss)
        from_pos = net.bus.index.get_indexer(net.line["from_bus"])
        self.lines = _Groups(bus_substation[from_pos], n_ss)
        self.household_bus_pos = household_bus_pos


__all__ = ["Grid", "GridNotConverged", "GridReport", "build_grid"]
