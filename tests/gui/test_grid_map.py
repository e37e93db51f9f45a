"""The grid map as a user reads a big network: one marker per MV feeder, a click zooms into its substations,
a few batched items whatever the size; and groups of 1–4 homes with one who declined consent stay withheld."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, Qt

from gui.grid_map import Groups, worst_of_groups
from gui.grid_view import STEPS, WITHHELD_BRUSH
from gui.group_disclosure import WITHHELD, group_means, sorted_curve, withheld_groups
from market.disclosure import MIN_GROUP_SIZE
from simulator.scenario import read_toml, scenario_from_dict

from .conftest import QUICKSTART, run_to_end


def _scenario(consent_share: float = 1.0, **grid):
    data = read_toml(QUICKSTART)
    data["horizon_days"] = 0.25
    data["grid"].update(grid)
    data["households"]["consent_share"] = consent_share
    return scenario_from_dict(data, "test")


def _click_marker(qtbot, view, xy):
    """A real left click on the map where the point `xy` (data coordinates) is drawn."""
    vb = view.map.getPlotItem().getViewBox()
    vb.disableAutoRange()  # the range stays where it is between computing the point and clicking it
    scene = vb.mapViewToScene(QPointF(float(xy[0]), float(xy[1])))
    pos = view.map.mapFromScene(scene)
    assert view.map.viewport().rect().contains(pos)
    qtbot.mouseMove(view.map.viewport(), pos)  # hover first, as a hand does: the scene knows where the mouse is
    qtbot.mouseClick(view.map.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_a_big_map_shows_one_marker_per_feeder_and_a_click_zooms_into_its_substations(qtbot, main_window):
    main_window.open_scenario(_scenario(substations=64, mv_feeders=8, households_per_substation=6))
    main_window.tabs.setCurrentWidget(main_window.grid_view)
    run_to_end(qtbot, main_window)
    view = main_window.grid_view
    qtbot.waitUntil(lambda: view.model is not None)
    assert view.level_key == "feeder"  # more than 30 substations: the map opens by feeder
    assert len(view._markers.data) == 8
    feeders = view.model.groups["feeder"]
    assert list(np.bincount(feeders.of_substation)) == [8] * 8
    assert list(feeders.households) == [48] * 8
    # a few batched items, not one per substation (the old map drew 2 per substation + 3), and the feeders' names
    drawn = [i for i in view.map.getPlotItem().items if not isinstance(i, pg.TextItem)]
    assert len(drawn) <= STEPS + 4
    assert sorted(i.toPlainText() for i in view._labels) == sorted(feeders.names)
    qtbot.waitUntil(lambda: view.map.isVisible() and view.map.width() > 200)
    _click_marker(qtbot, view, feeders.xy[1])
    qtbot.waitUntil(lambda: view.level_key == "substation")
    assert view.info.text().startswith("MV feeder 2: 8 substations, 48 homes")
    (x0, x1), (y0, y1) = view.map.getPlotItem().getViewBox().viewRange()
    inside = [(x0 <= x <= x1 and y0 <= y <= y1) for x, y in view.model.substation_xy]
    members = feeders.members(1)
    assert all(inside[s] for s in members)
    assert sum(inside) < 64  # zoomed into the feeder, not the whole network
    assert "MV feeder 2" in view.detail.getPlotItem().titleLabel.text


def test_search_finds_a_feeder_or_a_substation(qtbot, main_window):
    main_window.open_scenario(_scenario(substations=40, mv_feeders=4, households_per_substation=6))
    run_to_end(qtbot, main_window)
    view = main_window.grid_view
    qtbot.waitUntil(lambda: view.model is not None)
    view.search.setText("mv feeder 3")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.selected == ("feeder", 2)
    view.search.setText(view.model.drawing.substation_names[7])
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.selected == ("substation", 7)


def test_groups_of_fewer_than_five_homes_with_one_who_declined_are_withheld_in_every_view(qtbot, main_window):
    # 2 substations of 4 homes each; with 10 % consent nearly every home declined
    main_window.open_scenario(_scenario(substations=2, households_per_substation=4, consent_share=0.1))
    main_window.tabs.setCurrentWidget(main_window.grid_view)
    result = run_to_end(qtbot, main_window)
    view = main_window.grid_view
    qtbot.waitUntil(lambda: view.model is not None)
    consent = result.agents["consent"].to_numpy(dtype=bool)
    assert not consent.all()
    substations = view.model.groups["substation"]
    assert substations.withheld.all()  # 4 homes each, someone declined
    assert all(b is WITHHELD_BRUSH for b in view._markers.data["brush"])
    assert WITHHELD in view.detail.getPlotItem().titleLabel.text
    assert view.detail_loading.getData()[0] is None or len(view.detail_loading.getData()[0]) == 0
    assert np.isnan(main_window.live.heat.image).all()  # the heat map's rows are blank, not 0 %
    # the district (8 homes) is shown; its worst member would be a withheld substation, so it has no value
    assert not view.model.groups["primary"].withheld.any()
    # no view lists a household that declined: the bus lists hold consenting rows only
    listed = np.concatenate([rows for rows in view.model.bus_households.values()])
    assert consent[listed].all()
    main_window.tabs.setCurrentWidget(main_window.inspector)
    main_window.inspector.search.setText(str(result.agents["substation"].iloc[0]))
    qtbot.keyClick(main_window.inspector.search, Qt.Key.Key_Return)
    assert f"fewer than {MIN_GROUP_SIZE} homes" in main_window.inspector.group.text()
    assert "mean bill change" not in main_window.inspector.group.text()
    tariff = str(result.agents["tariff"].iloc[0])
    main_window.inspector.search.setText(tariff)
    qtbot.keyClick(main_window.inspector.search, Qt.Key.Key_Return)
    n = int((result.agents["tariff"] == tariff).sum())
    text = main_window.inspector.group.text()
    assert ("mean bill change" in text) == (n >= MIN_GROUP_SIZE)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_group_is_withheld_exactly_when_it_has_1_to_4_homes_and_one_declined(data):
    n_groups = data.draw(st.integers(1, 8))
    n = data.draw(st.integers(0, 40))
    group = np.array(data.draw(st.lists(st.integers(-1, n_groups - 1), min_size=n, max_size=n)), dtype=int)
    consent = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    values = np.array(data.draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)), dtype=float)
    withheld = withheld_groups(group, consent, n_groups)
    means = group_means(values, group, consent, n_groups)
    for g in range(n_groups):
        members = group == g
        size, declined = int(members.sum()), bool((~consent[members]).any())
        assert withheld[g] == (declined and 0 < size < MIN_GROUP_SIZE)
        if withheld[g] or size == 0:
            assert np.isnan(means[g])
        else:
            assert np.isclose(means[g], values[members].mean(), atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_a_groups_marker_shows_its_worst_disclosed_member(data):
    n_ss = data.draw(st.integers(1, 30))
    n_groups = data.draw(st.integers(1, 5))
    of = np.array(data.draw(st.lists(st.integers(0, n_groups - 1), min_size=n_ss, max_size=n_ss)), dtype=int)
    values = np.array(data.draw(st.lists(st.floats(0, 200) | st.just(float("nan")), min_size=n_ss, max_size=n_ss)))
    withheld = np.array(data.draw(st.lists(st.booleans(), min_size=n_groups, max_size=n_groups)))
    highest = data.draw(st.booleans())
    groups = Groups([f"g{i}" for i in range(n_groups)], of, np.zeros((n_groups, 2)), np.ones(n_groups, int), withheld)
    value, member = worst_of_groups(values, groups, highest)
    for g in range(n_groups):
        own = values[of == g]
        own = own[~np.isnan(own)]
        if withheld[g] or not len(own):
            assert np.isnan(value[g]) and member[g] == -1
        else:
            assert value[g] == (own.max() if highest else own.min())
            assert of[member[g]] == g and values[member[g]] == value[g]


def test_the_map_data_is_prepared_off_the_gui_thread(qtbot, main_window):
    from gui.grid_map import MapModel

    with qtbot.waitSignal(main_window.controller.ready, timeout=60_000) as ready:
        main_window.run()
    assert isinstance(ready.args[1], MapModel)  # built by the worker: the GUI only makes the items
    qtbot.waitUntil(lambda: main_window.controller.state == "idle", timeout=60_000)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-100, 100), max_size=60), st.data())
def test_the_who_wins_chart_shows_no_one_households_bill_when_someone_declined(values, data):
    consent = np.array(data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values))), dtype=bool)
    pct, curve = sorted_curve(np.array(values), consent)
    if consent.all():
        assert list(curve) == sorted(values)
        return
    if len(values) < MIN_GROUP_SIZE:
        assert len(curve) == 0
        return
    blocks = len(values) // MIN_GROUP_SIZE
    assert len(curve) == blocks and np.all(np.diff(pct) > 0) and np.all(np.diff(curve) >= -1e-9)
    ordered = np.sort(values)
    for b in range(blocks):  # each point is the mean of at least MIN_GROUP_SIZE neighbours in order
        block = ordered[b * MIN_GROUP_SIZE : (b + 1) * MIN_GROUP_SIZE if b < blocks - 1 else len(values)]
        assert len(block) >= MIN_GROUP_SIZE and np.isclose(curve[b], block.mean(), atol=1e-9)
