"""What a map of the grid needs, as plain arrays (no pandapower object leaves `simulator/`).

`grid_drawing(grid)` places every bus (geographic coordinates where the net has them, else a
radial tree or spring layout: `simulator.grid.layout`) and lists the segments to draw, each with
the substation that feeds it (-1 on the MV side), so a view can colour them from the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    )
