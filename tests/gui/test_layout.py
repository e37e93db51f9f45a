"""The window at 1280×720, panels brought back from the View menu, and the Help menu."""

from __future__ import annotations

from gui.help import VIEWS, views_help_html


def test_usable_at_1280_by_720(qtbot, main_window):
    main_window.resize(1280, 720)
    qtbot.wait(50)
    assert main_window.minimumSizeHint().width() <= 1280
    assert main_window.width() <= 1280 and main_window.height() <= 720
    assert main_window.tabs.width() >= 700  # the views keep most of the width beside the scenario panel


def test_the_view_menu_brings_the_scenario_panel_back(qtbot, main_window):
    main_window.scenario_dock.close()
    assert not main_window.scenario_dock.isVisible()
    toggle = next(a for a in main_window.actions.view_menu.actions() if a.text() == "Scenario")
    toggle.trigger()
    assert main_window.scenario_dock.isVisible()
    tabs = [a for a in main_window.actions.view_menu.actions() if a.text() == "Compare"]
    tabs[0].trigger()
    assert main_window.tabs.currentWidget() is main_window.compare


def test_the_help_menu_explains_every_view(main_window):
    texts = [a.text() for a in main_window.actions.help_menu.actions()]
    assert "What each view shows" in texts and any("Documentation" in t for t in texts)
    tab_titles = {main_window.tabs.tabText(i).split(" ")[0].replace("&&", "&") for i in range(main_window.tabs.count())}
    assert tab_titles <= {name.split(" ")[0] for name in VIEWS}
    assert all(name in views_help_html() for name in VIEWS)
