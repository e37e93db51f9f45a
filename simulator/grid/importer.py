"""Your own network: a pandapower net (.json, .xlsx), a MATPOWER case (.m, .mat) or a SimBench MV grid as households.

The engine's one rule for a grid is that each `load` row is one household (or building) whose power it
sets every step. An imported network's loads are therefore expanded into households at the same bus:

- `households = "per_load"` (default): each in-service load is one household.
- `households = "by_peak"`: a load of `p_mw` becomes `max(1, round(p_mw × 1000 / household_peak_kw))`
  households, for files whose loads stand for many homes (an MV feeder's aggregated LV networks). The
  file's `p_mw` is only used to count households; their power comes from the scenario's behaviour.
- SimBench grids: an H0 load (BDEW household profile) is one household; an MV load whose profile is a whole
  LV grid (`lv_semiurb4`, …) becomes as many households as that LV grid has H0 loads (SimBench gives such a
  load the summed `p_mw` of the LV grid it stands for); commercial and agricultural loads are dropped.

Generators, static generators and storages are removed (the households' PV and batteries are the
scenario's), as are SimBench profiles and controllers: nothing else injects power. Out-of-service loads
are dropped. A network needs at least one transformer: cityflex reports its substations at transformers.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import numpy as np
import pandapower as pp

from simulator.errors import DataError
from simulator.grid.spec import FileGridSpec, SimbenchGridSpec

#: H0 loads per SimBench LV grid (simbench 1.6.3, counted by `tests/simulator/test_grid_import.py`):
#: how many households an MV load with that LV grid's profile stands for.
SIMBENCH_LV_HOUSEHOLDS = {
    "lv_rural1": 3,
    "lv_rural2": 92,
    "lv_rural3": 113,
    "lv_semiurb4": 32,
    "lv_semiurb5": 92,
    "lv_urban6": 102,
}
SIMBENCH_LV_CODES = {profile: f"1-LV-{profile[3:]}--0-sw" for profile in SIMBENCH_LV_HOUSEHOLDS}
HOUSEHOLD_PROFILE_PREFIXES = ("H0",)  # BDEW household profiles; other loads (G*, L*, …) are not households
_INJECTIONS = ("sgen", "gen", "storage", "controller")


def read_net_file(path: Path, f_hz: float = 50.0) -> pp.pandapowerNet:
    """Read a pandapower net (.json, .xlsx) or a MATPOWER case (.m, .mat); raise `DataError` naming the file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return pp.from_json(str(path))
        if suffix == ".xlsx":
            return pp.from_excel(str(path))
        from pandapower.converter.matpower import from_mpc

        return from_mpc(str(path), f_hz=f_hz)
    except FileNotFoundError:
        raise DataError(f"{path}: network file not found") from None
    except Exception as exc:  # noqa: BLE001 - pandapower and the converters raise anything on a malformed file
        raise DataError(f"{path}: cannot read as a {suffix} network: {type(exc).__name__}: {exc}") from None


def households_per_load(p_mw: np.ndarray, household_peak_kw: float) -> np.ndarray:
    """How many households a load of `p_mw` stands for: round(p / peak), at least one."""
    return np.maximum(1, np.round(np.asarray(p_mw, dtype=np.float64) * 1000.0 / household_peak_kw)).astype(np.int64)


def expand_loads(net: pp.pandapowerNet, counts: np.ndarray) -> pp.pandapowerNet:
    """Replace each load row by `counts[i]` household loads at its bus (p = q = 0); a zero count drops it.

    Households are named after their load (`name`, or `name/k` when a load holds several); the column
    `source_load` keeps the original load's index, so results can be summed back per load.
    """
    counts = np.asarray(counts, dtype=np.int64)
    load = net.load
    names = load["name"].astype("string").fillna("").to_numpy(dtype=object)
    names = np.where(names == "", [f"load{i}" for i in load.index], names)
    if len(set(names)) < len(names):
        names = np.array([f"{n} ({i})" for n, i in zip(names, load.index, strict=True)], dtype=object)
    rows = np.repeat(np.arange(len(load)), counts)
    k = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    many = counts[rows] > 1
    hh_names = np.where(many, [f"{names[r]}/{j}" for r, j in zip(rows, k, strict=True)], names[rows])
    households = load.iloc[rows].copy()
    households["source_load"] = load.index.to_numpy()[rows]
    households["name"] = hh_names
    households[["p_mw", "q_mvar"]] = 0.0
    households["scaling"] = 1.0
    households["in_service"] = True
    for col in ("const_z_p_percent", "const_i_p_percent", "const_z_q_percent", "const_i_q_percent"):
        if col in households:
            households[col] = 0.0
    net.load = households.reset_index(drop=True)
    return net


def strip_injections(net: pp.pandapowerNet) -> pp.pandapowerNet:
    """Remove everything but the households that sets power: generators, storages, controllers, profiles."""
    for element in _INJECTIONS:
        if element in net and len(net[element]):
            net[element] = net[element].iloc[0:0]
    if "profiles" in net:
        net["profiles"] = {}
    return net


def import_file(spec: FileGridSpec) -> pp.pandapowerNet:
    """The file's network with its loads expanded into households (the module docstring's rule)."""
    net = read_net_file(spec.path, spec.f_hz)
    if len(net.trafo) == 0:
        raise DataError(
            f"{spec.path}: the network has no transformer; cityflex reports substations at transformers "
            "(add the MV/LV or HV/MV transformer that feeds it)"
        )
    if len(net.ext_grid) == 0:
        raise DataError(f"{spec.path}: the network has no external grid (slack) to feed it")
    net.load = net.load[net.load["in_service"].astype(bool).to_numpy()]
    if len(net.load) == 0:
        raise DataError(f"{spec.path}: the network has no load in service to connect households to")
    strip_injections(net)
    if spec.slack_vm_pu is not None:
        net.ext_grid["vm_pu"] = spec.slack_vm_pu
    if spec.households == "by_peak":
        counts = households_per_load(net.load["p_mw"].to_numpy(), spec.household_peak_kw or 1.0)
    else:
        counts = np.ones(len(net.load), dtype=np.int64)
    return expand_loads(net, counts)


def simbench_households(profiles: np.ndarray) -> np.ndarray:
    """Households per SimBench load: 1 for H0, the LV grid's H0 count for an aggregated `lv_*` load, else 0."""
    profiles = np.asarray([str(p) if isinstance(p, str) else "" for p in profiles], dtype=object)
    counts = np.array([SIMBENCH_LV_HOUSEHOLDS.get(p, 0) for p in profiles], dtype=np.int64)
    is_h0 = np.array([p.startswith(HOUSEHOLD_PROFILE_PREFIXES) for p in profiles], dtype=bool)
    return np.where(is_h0, 1, counts)


def import_simbench(spec: SimbenchGridSpec) -> pp.pandapowerNet:
    """A SimBench grid with its loads expanded into households (the module docstring's rule)."""
    net = simbench_net(spec.code)
    counts = simbench_households(net.load["profile"].to_numpy())
    strip_injections(net)
    net.ext_grid["vm_pu"] = spec.slack_vm_pu
    return expand_loads(net, counts)


@functools.cache
def _simbench_net_cached(code: str) -> pp.pandapowerNet:
    import simbench as sb

    return sb.get_simbench_net(code)


def simbench_net(code: str) -> pp.pandapowerNet:
    """Parse a SimBench grid once per process (~4 s) and hand out copies."""
    return copy.deepcopy(_simbench_net_cached(code))
