"""Unbalanced three-phase power flow (pandapower's `runpp_3ph`) for LV grids whose households connect on one phase.

With `[grid.unbalanced]`, each household is connected on one phase — a, b, c in turn down the load rows,
so the neighbours along a feeder alternate phases — and every other load (tertiary buildings) on all three
phases evenly. Each step writes the households' power into pandapower `asymmetric_load`s on a copy of the
net and solves it with `runpp_3ph`; the result is reported by phase (voltages, the worst phase's loading).

`runpp_3ph` needs zero-sequence data that pandapower's standard types lack. Where the net has none, the
values of `UnbalancedSpec` fill them — assumptions, warned about when used. They matter only when the
phases are unbalanced: with the load spread evenly over the phases no zero-sequence current flows and the
answer is `runpp`'s (a test checks it). pandapower solves three-phase flows for transformers of vector
groups YNyn, Dyn and Yzn only; `Dyn5`/`Dyn11` are solved as `Dyn` with their own phase shift.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pandapower as pp

from simulator.grid.powerflow import PowerFlowResult
from simulator.grid.spec import UnbalancedSpec

PHASES = ("a", "b", "c")
THREE_PHASE = -1  # a load spread evenly over the three phases


def household_phases(n_loads: int, three_phase_rows: np.ndarray | None = None) -> np.ndarray:
    """Phase index (0 = a, 1 = b, 2 = c) per load row, in turn; `THREE_PHASE` for the rows given."""
    phase = np.arange(n_loads) % 3
    if three_phase_rows is not None:
        phase[three_phase_rows] = THREE_PHASE
    return phase


class ThreePhaseFlow:
    """pandapower's `runpp_3ph` on a copy of the net whose loads became single-phase asymmetric loads."""

    def __init__(self, net: pp.pandapowerNet, phase: np.ndarray, spec: UnbalancedSpec) -> None:
        self.phase = np.asarray(phase, dtype=np.int64)
        self.net = _three_phase_copy(net, spec)
        self.assumptions = self.net.pop("cityflex_assumptions", [])
        self._share = np.stack([(self.phase == k) + (self.phase == THREE_PHASE) / 3.0 for k in range(3)])

    def run(self, p_kw: np.ndarray, q_kvar: np.ndarray, *, numba: bool = True) -> PowerFlowResult:
        """Solve with the households' power [kW, kvar]; raises pandapower's `LoadflowNotConverged` if it fails."""
        load = self.net.asymmetric_load
        for k, ph in enumerate(PHASES):
            load[f"p_{ph}_mw"] = self._share[k] * np.asarray(p_kw) / 1000.0
            load[f"q_{ph}_mvar"] = self._share[k] * np.asarray(q_kvar) / 1000.0
        pp.runpp_3ph(self.net)
        return read_results_3ph(self.net)


def read_results_3ph(net: pp.pandapowerNet) -> PowerFlowResult:
    """Collect `runpp_3ph`'s tables: the lowest and highest phase voltage per bus, phase sums of power."""
    vm = net.res_bus_3ph[[f"vm_{ph}_pu" for ph in PHASES]].to_numpy(dtype=np.float64)
    eg, tr, ln = net.res_ext_grid_3ph, net.res_trafo_3ph, net.res_line_3ph
    return PowerFlowResult(
        vm_pu=vm.min(axis=1),
        vm_max_pu=vm.max(axis=1),
        vm_phase_pu=vm,
        line_loading_pct=ln["loading_percent"].to_numpy(dtype=np.float64),
        trafo_p_hv_mw=sum(tr[f"p_{ph}_hv_mw"].to_numpy(dtype=np.float64) for ph in PHASES),
        trafo_loading_pct=tr["loading_percent"].to_numpy(dtype=np.float64),
        ext_grid_p_mw=float(sum(eg[f"p_{ph}_mw"].sum() for ph in PHASES)),
        ext_grid_q_mvar=float(sum(eg[f"q_{ph}_mvar"].sum() for ph in PHASES)),
        losses_mw=float(sum(ln[f"pl_{ph}_mw"].sum() + tr[f"pl_{ph}_mw"].sum() for ph in PHASES)),
    )


def _three_phase_copy(net: pp.pandapowerNet, spec: UnbalancedSpec) -> pp.pandapowerNet:
    """The net with zero-sequence data filled where missing and its loads as asymmetric loads (p = q = 0)."""
    net = copy.deepcopy(net)
    used: list[str] = []
    _fill(net.ext_grid, {"s_sc_max_mva": spec.ext_grid_s_sc_max_mva, "rx_max": spec.ext_grid_rx_max,
                         "r0x0_max": spec.ext_grid_r0x0_max, "x0x_max": spec.ext_grid_x0x_max}, used)  # fmt: skip
    line = net.line
    _fill(line, {"r0_ohm_per_km": line["r_ohm_per_km"] * spec.line_r0_over_r1,
                 "x0_ohm_per_km": line["x_ohm_per_km"] * spec.line_x0_over_x1,
                 "c0_nf_per_km": line["c_nf_per_km"] * spec.line_c0_over_c1}, used)  # fmt: skip
    tr = net.trafo
    _fill(tr, {"vk0_percent": tr["vk_percent"], "vkr0_percent": tr["vkr_percent"],
               "mag0_percent": spec.trafo_mag0_percent, "mag0_rx": 0.0,
               "si0_hv_partial": spec.trafo_si0_hv_partial}, used)  # fmt: skip
    groups = tr["vector_group"].fillna("Dyn").astype(str).str.replace(r"\d+$", "", regex=True)
    unsupported = sorted(set(groups) - {"YNyn", "Dyn", "Yzn"})
    if unsupported:
        raise ValueError(f"runpp_3ph solves transformers of vector groups YNyn, Dyn, Yzn only (got {unsupported})")
    tr["vector_group"] = groups
    buses = net.load["bus"].to_numpy()
    net.load = net.load.iloc[0:0]
    for bus in buses:  # once, at build time
        pp.create_asymmetric_load(net, int(bus))
    if used:
        warnings.warn(f"assumed zero-sequence data for the unbalanced power flow: {', '.join(used)} "
                      f"({spec.source})", UserWarning, stacklevel=3)  # fmt: skip
    net["cityflex_assumptions"] = used
    return net


def _fill(table, values: dict, used: list[str]) -> None:
    """Set each column where the net has no value; note the columns filled from assumptions."""
    for column, value in values.items():
        missing = table[column].isna() if column in table else np.ones(len(table), dtype=bool)
        if np.any(missing):
            fill = value[missing] if hasattr(value, "__getitem__") and not np.isscalar(value) else value
            if column not in table:
                table[column] = np.nan
            table.loc[missing, column] = fill
            used.append(column)
