"""The grid map's data, prepared off the GUI thread: segment arrays, marker positions, groups and their rule.

`prepare_map(drawing, consent)` runs in a worker thread (it is numpy work only: no Qt item is made) and
returns a `MapModel` the grid view draws with a handful of batched pyqtgraph items. The map shows one
marker per substation, per MV feeder or per primary substation (`LEVELS`); a group's marker is sized by
its households and coloured by its worst member. Groups follow the disclosure rule (`gui.group_disclosure`):
a group of 1–4 households with one who declined consent is drawn grey and its numbers are withheld.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gui.group_disclosure import withheld_groups
from simulator.grid.drawing import GridDrawing, grid_drawing
from simulator.meter_data.data_catalogue import consent_flags
from simulator.tertiary import build_city_grid, expanded

#: aggregation levels of the map: key → what the level selector says
LEVELS = {"substation": "substations", "feeder": "MV feeders", "primary": "primary substations"}

#: what the markers can be coloured by: key → (substation series, label, worst is the highest?)
QUANTITIES = {
    "loading": ("loading_pct", "transformer loading [%]", True),
    "lines": ("line_loading_max_pct", "highest line loading [%]", True),
    "voltage": ("vm_min_pu", "lowest voltage [p.u.]", False),
}


@dataclass(frozen=True)
class Groups:
    """One aggregation level: which group each substation is in, and each group's marker."""

    names: list[str]
    of_substation: np.ndarray  # group of each substation
    xy: np.ndarray  # n_groups × 2: where the marker goes (centre of its substations)
    households: np.ndarray  # households each group supplies
    withheld: np.ndarray  # bool: figures withheld under the disclosure rule

    @property
    def n(self) -> int:
        """Number of groups."""
        return len(self.names)

    def members(self, g: int) -> np.ndarray:
        """The substations of group `g`."""
        return np.flatnonzero(self.of_substation == g)


@dataclass(frozen=True)
class MapModel:
    """Everything the map draws, as arrays: lines as x, y and `connect` (pairs), buses, markers, groups."""

    drawing: GridDrawing
    mv_xy: np.ndarray  # 2k × 2: MV lines and transformer links as point pairs
    lv_xy: np.ndarray  # 2k × 2: LV lines as point pairs, sorted by substation
    lv_substation: np.ndarray  # substation of each LV segment (k)
    bus_rows: np.ndarray  # LV buses drawn as dots (bus rows)
    substation_xy: np.ndarray  # n_ss × 2
    groups: dict[str, Groups]
    bus_households: dict[int, np.ndarray]  # bus row → consenting household rows on it
    bus_declined: dict[int, int]  # bus row → how many of its households declined consent
    consent: np.ndarray

    def bounds(self, substations: np.ndarray) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 around `substations` and the buses they feed."""
        d = self.drawing
        own = np.flatnonzero(np.isin(d.bus_substation, substations))
        xy = d.bus_xy[np.concatenate([own, d.trafo_lv[substations]])]
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        return float(x0), float(y0), float(x1), float(y1)


def pairs(pos: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Segments a[i]–b[i] as 2k points, for one curve drawn with connect="pairs"."""
    xy = np.empty((2 * len(a), 2))
    xy[0::2], xy[1::2] = pos[a], pos[b]
    return xy


def prepare_map(drawing: GridDrawing, consent: np.ndarray) -> MapModel:
    """The map's arrays and groups (call it off the GUI thread).

    `consent[i]`: household row i consented; the grid's loads after the households (tertiary buildings) are
    not households.
    """
    d, pos = drawing, drawing.bus_xy
    n_ss = len(d.substation_names)
    consent = np.asarray(consent, dtype=bool)
    homes_bus = d.household_bus[: len(consent)]
    mv = d.line_substation < 0
    mv_xy = np.concatenate([pairs(pos, d.line_from[mv], d.line_to[mv]), pairs(pos, d.trafo_hv, d.trafo_lv)])
    order = np.flatnonzero(~mv)[np.argsort(d.line_substation[~mv], kind="stable")]
    household_ss = np.where(homes_bus >= 0, d.bus_substation[np.maximum(homes_bus, 0)], -1)
    substation_xy = pos[d.trafo_lv[:n_ss]]
    feeder, primary = d.substation_groups() if n_ss else (np.zeros(0, int), np.zeros(0, int))
    levels = {
        "substation": (np.arange(n_ss), list(d.substation_names)),
        "feeder": (feeder, [f"MV feeder {i + 1}" for i in range(int(feeder.max(initial=-1)) + 1)]),
        "primary": (primary, [f"primary substation {i + 1}" for i in range(int(primary.max(initial=-1)) + 1)]),
    }
    groups = {}
    for key, (of_ss, names) in levels.items():
        n = len(names)
        member_of = np.where(household_ss >= 0, of_ss[np.maximum(household_ss, 0)], -1) if n_ss else household_ss
        counts = np.bincount(of_ss, minlength=n).astype(float)
        xy = np.column_stack([np.bincount(of_ss, weights=substation_xy[:, i], minlength=n) for i in (0, 1)])
        groups[key] = Groups(
            names=names,
            of_substation=of_ss,
            xy=xy / np.maximum(counts, 1)[:, None],
            households=np.bincount(member_of[member_of >= 0], minlength=n),
            withheld=withheld_groups(member_of, consent, n),
        )
    by_bus = np.argsort(homes_bus, kind="stable")
    bus_of = homes_bus[by_bus]
    starts = np.searchsorted(bus_of, np.unique(bus_of))
    bus_households, bus_declined = {}, {}
    for rows in np.split(by_bus, starts[1:]) if len(by_bus) else []:
        bus = int(homes_bus[rows[0]])
        bus_households[bus] = rows[consent[rows]]
        bus_declined[bus] = int((~consent[rows]).sum())
    return MapModel(
        drawing=d,
        mv_xy=mv_xy,
        lv_xy=pairs(pos, d.line_from[order], d.line_to[order]),
        lv_substation=d.line_substation[order],
        bus_rows=np.flatnonzero(d.bus_substation >= 0),
        substation_xy=substation_xy,
        groups=groups,
        bus_households=bus_households,
        bus_declined=bus_declined,
        consent=consent,
    )


def worst_of_groups(values: np.ndarray, groups: Groups, highest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each group's worst disclosed member: (its value, its substation), NaN and -1 where there is none.

    `values` are per substation (one step); members whose own group of households is withheld at the
    substation level are left out by the caller (set to NaN), so no group reveals a withheld substation.
    """
    v = np.asarray(values, dtype=float)
    g = groups.of_substation
    key = np.where(np.isnan(v), np.inf, -v if highest else v)
    order = np.lexsort((key, g))  # by group, worst first
    first = np.searchsorted(g[order], np.arange(groups.n))
    worst_value, worst_member = np.full(groups.n, np.nan), np.full(groups.n, -1)
    has = first < len(order)
    picked = order[first[has]]
    present = has.copy()
    present[has] = (g[picked] == np.flatnonzero(has)) & ~np.isnan(v[picked])
    idx = np.flatnonzero(present)
    worst_member[idx] = order[first[idx]]
    worst_value[idx] = v[worst_member[idx]]
    worst_value[groups.withheld] = np.nan
    worst_member[groups.withheld] = -1
    return worst_value, worst_member


def results_map(result: object) -> MapModel:
    """The map of a finished run opened from disk: its grid rebuilt from the scenario (off the GUI thread)."""
    drawing = grid_drawing(build_city_grid(result.scenario))
    n_homes = len(drawing.household_bus) - len(expanded(result.scenario))  # buildings' loads come last
    return prepare_map(drawing, consent_flags(result.scenario, n_homes))
