"""Where to draw each bus of a pandapower net: its geographic (or schematic) coordinates, else a networkx layout."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandapower as pp

SPRING_LAYOUT_MAX_BUSES = 1500


def bus_graph(net: pp.pandapowerNet) -> nx.Graph:
    """Buses joined by lines and transformers, nodes as bus positions (0 … n-1)."""
    index = net.bus.index
    graph = nx.Graph()
    graph.add_nodes_from(range(len(index)))
    for table, a, b in (("line", "from_bus", "to_bus"), ("trafo", "hv_bus", "lv_bus")):
        frame = getattr(net, table)
        graph.add_edges_from(zip(index.get_indexer(frame[a]), index.get_indexer(frame[b]), strict=True))
    return graph


def bus_positions(net: pp.pandapowerNet) -> np.ndarray:
    """(n_buses × 2) drawing coordinates: the net's `geo` points where every bus has one, else a layout."""
    coords = _geo(net)
    if coords is not None:
        return coords
    graph = bus_graph(net)
    roots = net.bus.index.get_indexer(net.ext_grid["bus"]) if len(net.ext_grid) else [0]
    if nx.is_forest(graph):
        return radial_tree_layout(graph, int(roots[0]))
    if len(graph) <= SPRING_LAYOUT_MAX_BUSES:
        pos = nx.spring_layout(graph, seed=0)
        return np.array([pos[i] for i in range(len(graph))])
    return radial_tree_layout(nx.bfs_tree(graph, int(roots[0])).to_undirected(), int(roots[0]))


def _geo(net: pp.pandapowerNet) -> np.ndarray | None:
    if "geo" not in net.bus or net.bus["geo"].isna().any():
        return None
    try:
        points = [json.loads(g)["coordinates"] if isinstance(g, str) else g["coordinates"] for g in net.bus["geo"]]
        coords = np.asarray(points, dtype=float)
    except (ValueError, KeyError, TypeError):
        return None
    if coords.shape != (len(net.bus), 2) or len(np.unique(coords, axis=0)) < 0.5 * len(coords):
        return None
    return coords


def radial_tree_layout(tree: nx.Graph, root: int) -> np.ndarray:
    """A radial layout of a tree: depth as radius, each subtree an angle in proportion to its leaves."""
    order = list(nx.bfs_tree(tree, root))
    parent = {root: None} | {child: p for p, child in nx.bfs_edges(tree, root)}
    leaves = dict.fromkeys(order, 0)
    for node in reversed(order):
        leaves[node] = max(leaves[node], 1)
        if parent[node] is not None:
            leaves[parent[node]] += leaves[node]
    depth, span = {root: 0}, {root: (0.0, 2 * np.pi)}
    pos = np.zeros((tree.number_of_nodes(), 2))
    for node in order:
        start, end = span[node]
        angle = (start + end) / 2
        pos[node] = depth[node] * np.cos(angle), depth[node] * np.sin(angle)
        children = [c for c in tree.neighbors(node) if parent.get(c) == node]
        cursor = start
        for child in children:
            width = (end - start) * leaves[child] / max(leaves[node] - (0 if children else 1), 1)
            span[child], depth[child] = (cursor, cursor + width), depth[node] + 1
            cursor += width
    return pos
