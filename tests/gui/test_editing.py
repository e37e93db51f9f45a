"""Editing a scenario: the "modified" mark, undo, revert, and "Save scenario as" keeping the comments."""

from __future__ import annotations

import copy
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from gui.toml_patch import flat_changes, patch_toml
from simulator.scenario import load_scenario

from .conftest import QUICKSTART


def _comments(text):
    return [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]


def test_modified_mark_undo_and_revert(main_window):
    editor = main_window.panel.editor
    assert not main_window.isWindowModified()
    editor.set_value("households.hems_share", "0.7")
    editor.set_value("horizon_days", "3")
    assert main_window.isWindowModified() and editor.scenario().horizon_days == 3
    main_window.actions.undo.trigger()  # Edit → Undo
    assert editor.scenario().horizon_days == load_scenario(QUICKSTART).horizon_days
    assert float(editor.editor("horizon_days").text()) == load_scenario(QUICKSTART).horizon_days
    assert main_window.isWindowModified()  # the HEMS share is still edited
    main_window.actions.revert.trigger()  # Edit → Revert
    assert not main_window.isWindowModified()
    assert editor.scenario() == load_scenario(QUICKSTART).model_copy()
    assert not editor.undo()


def test_save_as_keeps_the_files_comments_and_writes_the_edits(main_window, tmp_path):
    main_window.panel.editor.set_value("households.hems_share", "0.7")
    main_window.panel.editor.set_value("horizon_days", "3")
    out = tmp_path / "mine.toml"
    assert main_window.save_scenario(out)
    text, source = out.read_text(), QUICKSTART.read_text()
    assert _comments(text) == _comments(source) and _comments(source)
    assert len(text.splitlines()) == len(source.splitlines())
    saved = load_scenario(out)
    assert saved.horizon_days == 3 and saved.households.hems_share == 0.7
    assert not main_window.isWindowModified()


SOURCE = QUICKSTART.read_text()
DATA = tomllib.loads(SOURCE)
NUMBERS = [(k,) for k, v in DATA.items() if isinstance(v, int | float) and not isinstance(v, bool)] + [
    (t, k) for t, table in DATA.items() if isinstance(table, dict)
    for k, v in table.items() if isinstance(v, int | float) and not isinstance(v, bool)
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(NUMBERS), st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-10**6, 10**6),
                       max_size=6),
       st.dictionaries(st.sampled_from(["new_key", "another"]), st.integers(0, 9) | st.text(max_size=8), max_size=2))
def test_patched_text_reads_back_as_the_edited_values_with_every_comment(numbers, added):  # fmt: skip
    edited = copy.deepcopy(DATA)
    for path, value in numbers.items():
        target = edited
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    edited.setdefault("households", {}).update(added)
    patched = patch_toml(SOURCE, flat_changes(DATA, edited))
    assert patched is not None
    assert tomllib.loads(patched) == edited
    assert all(f"#{comment}" in patched for comment in _comments(SOURCE))  # every comment kept (values may hold '#')
