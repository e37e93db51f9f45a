"""The power-flow result both backends produce, and the reference backend: pandapower's `runpp`.

Households are the net's `load` rows in order; power arrives in kW/kvar, consumption positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandapower as pp
from pandapower.powerflow import LoadflowNotConverged

#: Options for every `runpp` we call. Household loads are constant power, so the per-bus Python loop
#: pandapower runs for voltage-dependent loads is skipped; the answer is the same.
RUNPP_OPTIONS = {"voltage_depend_loads": False, "numba": True, "trafo_loading": "current"}


@dataclass(frozen=True, eq=False)
class PowerFlowResult:
    """One solved power flow in pandapower's units, element arrays in the net's table order."""

    vm_pu: np.ndarray  # per net.bus row; NaN for buses out of service
    line_loading_pct: np.ndarray  # per net.line row
    trafo_p_hv_mw: np.ndarray  # per net.trafo row, into the HV side
    trafo_loading_pct: np.ndarray  # per net.trafo row
    ext_grid_p_mw: float  # sum over external grids, import positive
    ext_grid_q_mvar: float
    losses_mw: float  # lines and transformers
    vm_max_pu: np.ndarray | None = None  # per bus, the highest phase voltage (unbalanced flows; else = vm_pu)
    vm_phase_pu: np.ndarray | None = None  # buses × phases a, b, c (unbalanced flows only)


def set_household_power(net: pp.pandapowerNet, p_kw: np.ndarray, q_kvar: np.ndarray) -> None:
    """Write the households' power into the net's load table (household row i is load row i)."""
    net.load["p_mw"] = np.asarray(p_kw, dtype=np.float64) / 1000.0
    net.load["q_mvar"] = np.asarray(q_kvar, dtype=np.float64) / 1000.0


class PandapowerFlow:
    """pandapower's Newton-Raphson on the net, warm-started from the previous solution once there is one."""

    def __init__(self, net: pp.pandapowerNet) -> None:
        self.net = net
        self._warm = False

    def run(self, p_kw: np.ndarray, q_kvar: np.ndarray, *, numba: bool = True) -> PowerFlowResult:
        """Solve with the households' power; raises pandapower's `LoadflowNotConverged` if it fails.

        `numba=False` skips pandapower's JIT compilation (~3 s per process): right for a single solve.
        """
        set_household_power(self.net, p_kw, q_kvar)
        try:
            pp.runpp(self.net, init="results" if self._warm else "auto", **{**RUNPP_OPTIONS, "numba": numba})
        except LoadflowNotConverged:
            self._warm = False  # the result tables now hold NaN
            raise
        self._warm = True
        return read_results(self.net)


def read_results(net: pp.pandapowerNet) -> PowerFlowResult:
    """Collect the result tables of the last `runpp`."""
    return PowerFlowResult(
        vm_pu=net.res_bus["vm_pu"].to_numpy(dtype=np.float64),
        line_loading_pct=net.res_line["loading_percent"].to_numpy(dtype=np.float64),
        trafo_p_hv_mw=net.res_trafo["p_hv_mw"].to_numpy(dtype=np.float64),
        trafo_loading_pct=net.res_trafo["loading_percent"].to_numpy(dtype=np.float64),
        ext_grid_p_mw=float(net.res_ext_grid["p_mw"].sum()),
        ext_grid_q_mvar=float(net.res_ext_grid["q_mvar"].sum()),
        losses_mw=float(net.res_line["pl_mw"].sum() + net.res_trafo["pl_mw"].sum()),
    )
