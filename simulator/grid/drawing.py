"""What a map of the grid needs, as plain arrays (no pandapower object leaves `simulator/`).

`grid_drawing(grid)` places every bus (geographic coordinates where the net has them, else a
radial tree or spring layout: `simulator.grid.layout`) and lists the segments to draw, each with
the substation that feeds it (-1 on the MV side), so a view can colour them from the recorder. It also
groups the substations by the MV feeder and the primary substation (slack busbar) that supply them, for
a map that shows one marker per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from simulator.grid.build import substation_of_buses
from simulator.grid.grid import Grid
from simulator.grid.layout import bus_positions


@dataclass(frozen=True)
class GridDrawing:
    """Bus positions and segments by row of `net.bus` (0 … n_buses-1)."""

    bus_xy: np.ndarray  # n_buses × 2
    bus_label: np.ndarray  # the net's bus index, for messages
    bus_substation: np.ndarray  # substation (net.trafo row) feeding each bus, -1 on the MV side
    line_from: np.ndarray
    line_to: np.ndarray
    line_substation: np.ndarray  # -1 for MV lines
    trafo_hv: np.ndarray  # bus row of each substation's HV side
    trafo_lv: np.ndarray  # bus row of each substation's LV side (where the map draws the substation)
    household_bus: np.ndarray  # bus row of each household
    substation_names: list[str]
    slack_bus: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # bus rows of the slacks

    def substation_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """Each substation's MV feeder and primary substation, numbered 0… in order of their first substation.

        An MV feeder is what stays connected on the MV side once the primary busbars (the slack buses) are
        removed; a primary substation is one connected MV network with its slack. A substation fed straight
        from a primary busbar is a feeder of its own.
        """
        n_bus, n_ss = len(self.bus_xy), len(self.substation_names)
        mv = (self.line_substation < 0) & (self.line_from >= 0) & (self.line_to >= 0)
        a, b = self.line_from[mv], self.line_to[mv]
        primary = _components(n_bus, a, b)
        cut = ~(np.isin(a, self.slack_bus) | np.isin(b, self.slack_bus))
        feeder = _components(n_bus, a[cut], b[cut])
        return _renumber(feeder[self.trafo_hv[:n_ss]]), _renumber(primary[self.trafo_hv[:n_ss]])


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Labels as 0, 1, … in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]


def grid_drawing(grid: Grid) -> GridDrawing:
    """Lay out `grid` for drawing (seconds for a few thousand buses: call it off the GUI thread)."""
    net = grid.net
    index = net.bus.index
    bus_ss = substation_of_buses(net)
    line_from = index.get_indexer(net.line["from_bus"])
    return GridDrawing(
        bus_xy=bus_positions(net),
        bus_label=index.to_numpy(),
        bus_substation=bus_ss,
        line_from=line_from,
        line_to=index.get_indexer(net.line["to_bus"]),
        line_substation=bus_ss[line_from],
        trafo_hv=index.get_indexer(net.trafo["hv_bus"]),
        trafo_lv=index.get_indexer(net.trafo["lv_bus"]),
        household_bus=index.get_indexer(grid.household_bus),
        substation_names=list(grid.substation_names),
        slack_bus=index.get_indexer(net.ext_grid["bus"]),
    )
