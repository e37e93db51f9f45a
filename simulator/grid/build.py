"""Build the pandapower networks a scenario's `[grid]` section describes: synthetic MV/LV, SimBench, or a file.

Each builder returns a `GridLayout`: the net with one `load` per household (in household row order,
p = q = 0) plus what only the builder knows (each household's LV feeder, the substation names).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandapower as pp
import pandapower.topology as top

from simulator.grid.importer import import_file, import_simbench
from simulator.grid.spec import FileGridSpec, SimbenchGridSpec, SyntheticGridSpec


@dataclass
class GridLayout:
    """A built network and the household facts its builder knows."""

    net: pp.pandapowerNet
    household_feeder: np.ndarray
    substation_names: list[str]


def build_layout(spec: SyntheticGridSpec | SimbenchGridSpec | FileGridSpec) -> GridLayout:
    """Build the network a grid spec describes."""
    if isinstance(spec, SyntheticGridSpec):
        return build_synthetic(spec)
    return build_simbench(spec) if isinstance(spec, SimbenchGridSpec) else build_file(spec)


def build_simbench(spec: SimbenchGridSpec) -> GridLayout:
    """A SimBench grid whose household loads become households (`simulator.grid.importer`); a substation per trafo."""
    return _imported(import_simbench(spec))


def build_file(spec: FileGridSpec) -> GridLayout:
    """A network file whose loads become households (`simulator.grid.importer`); a substation per trafo."""
    return _imported(import_file(spec))


def _imported(net: pp.pandapowerNet) -> GridLayout:
    names = [str(n) for n in net.trafo["name"]]
    return GridLayout(net=net, household_feeder=lv_feeder_of_loads(net), substation_names=names)


def build_synthetic(spec: SyntheticGridSpec) -> GridLayout:
    """A primary MV busbar feeding radial MV feeders; substations round-robin over them, households likewise.

    Buses: the primary busbar, the substations' MV buses, their LV busbars, then one bus per household.
    Coordinates are schematic: substations in a grid of cells, LV feeders hanging below their busbar.
    """
    net = _empty_net()
    net.name = f"synthetic {spec.substations}x{spec.households_per_substation}"
    trafo_type = pp.load_std_type(net, spec.transformer_type, "trafo")
    lv_busbar, xy = _add_substations(net, spec, trafo_type)
    feeder = _add_households(net, spec, trafo_type["vn_lv_kv"], lv_busbar, xy)
    return GridLayout(net=net, household_feeder=feeder, substation_names=list(net.trafo["name"]))


def _add_substations(net: pp.pandapowerNet, spec: SyntheticGridSpec, trafo_type: dict) -> tuple:
    """The slack, the MV feeders chaining the substations, their transformers; returns LV busbars and (x, y)."""
    n_ss, n_mv = spec.substations, spec.mv_feeders
    ss = np.arange(n_ss)
    along, feeder = ss // n_mv, ss % n_mv
    cell_w = spec.lv_feeders_per_substation + 1.0
    cell_h = -(-spec.households_per_substation // spec.lv_feeders_per_substation) + 3.0
    x, y = (along + 1) * cell_w, -feeder * cell_h
    vn_hv_kv = trafo_type["vn_hv_kv"]
    primary = pp.create_bus(net, vn_hv_kv, name="primary busbar", geodata=(0.0, 0.0))
    pp.create_ext_grid(net, primary, vm_pu=spec.slack_vm_pu, name="primary substation")
    mv_bus = pp.create_buses(net, n_ss, vn_hv_kv, name=[f"ss{s} MV" for s in ss], geodata=_xy(x, y))
    names = [f"ss{s} LV busbar" for s in ss]
    lv_busbar = pp.create_buses(net, n_ss, trafo_type["vn_lv_kv"], name=names, geodata=_xy(x, y - 1.0))
    upstream = np.where(along == 0, primary, mv_bus[np.maximum(ss - n_mv, 0)])
    names = [f"ss{s} MV in" for s in ss]
    pp.create_lines(net, upstream, mv_bus, spec.mv_section_km, spec.mv_line_type, name=names)
    pp.create_transformers(net, mv_bus, lv_busbar, spec.transformer_type, name=[f"ss{s}" for s in ss])
    return lv_busbar, (x, y)


def _add_households(
    net: pp.pandapowerNet, spec: SyntheticGridSpec, vn_lv_kv: float, lv_busbar: np.ndarray, xy: tuple
) -> np.ndarray:
    """One bus, cable and load per household, chained along its LV feeder; returns each household's feeder."""
    n_hh, n_lvf = spec.households_per_substation, spec.lv_feeders_per_substation
    row = np.arange(spec.substations * n_hh)
    ss, k = row // n_hh, row % n_hh
    feeder, along = k % n_lvf, k // n_lvf
    x, y = xy[0][ss] - n_lvf / 2 + feeder, xy[1][ss] - 2.0 - along
    hh_names = [f"hh{r}" for r in row]
    hh_bus = pp.create_buses(net, len(row), vn_lv_kv, name=hh_names, geodata=_xy(x, y))
    upstream = np.where(along == 0, lv_busbar[ss], hh_bus[np.maximum(row - n_lvf, 0)])
    names = [f"hh{r} LV in" for r in row]
    pp.create_lines(net, upstream, hh_bus, spec.lv_section_m / 1000.0, spec.lv_line_type, name=names)
    pp.create_loads(net, hh_bus, p_mw=0.0, q_mvar=0.0, name=hh_names)
    return feeder


def _xy(x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    return list(zip(x.tolist(), y.tolist(), strict=True))


@functools.cache
def _empty_net_cached() -> pp.pandapowerNet:
    return pp.create_empty_network()


def _empty_net() -> pp.pandapowerNet:
    """An empty net with the standard types; copying a template is ~5x faster than creating one."""
    return copy.deepcopy(_empty_net_cached())


def substation_of_buses(net: pp.pandapowerNet) -> np.ndarray:
    """For each row of net.bus, the net.trafo row whose LV side feeds it without crossing a transformer, else -1."""
    graph = top.create_nxgraph(net, include_trafos=False, include_trafo3ws=False)
    label = np.full(len(net.bus), -1, dtype=np.int64)
    pos = {b: i for i, b in enumerate(net.bus.index)}
    slack = set(net.ext_grid["bus"])
    for k, lv_bus in enumerate(net.trafo["lv_bus"]):
        if label[pos[lv_bus]] >= 0:
            continue  # its LV side is meshed with an earlier substation's: the earlier one owns it
        island = nx.node_connected_component(graph, lv_bus)
        if not slack & island:
            label[[pos[b] for b in island]] = k
    return label


def lv_feeder_of_loads(net: pp.pandapowerNet) -> np.ndarray:
    """For each load, the LV feeder (0..) of its substation it hangs off: the branches beyond the LV busbar.

    Feeders are numbered by their lowest bus index; a load on the busbar itself gets a feeder of its own, last.
    """
    graph = top.create_nxgraph(net, include_trafos=False, include_trafo3ws=False)
    feeder_of_bus: dict[int, int] = {}
    for lv_bus in net.trafo["lv_bus"]:
        if lv_bus in feeder_of_bus:
            continue
        beyond = graph.subgraph(nx.node_connected_component(graph, lv_bus) - {lv_bus})
        feeders = sorted(nx.connected_components(beyond), key=min)
        for f, buses in enumerate(feeders):
            feeder_of_bus.update(dict.fromkeys(buses, f))
        feeder_of_bus[lv_bus] = len(feeders)
    return np.array([feeder_of_bus.get(b, 0) for b in net.load["bus"]], dtype=np.int64)
