"""The parameter editor: generated from the schema, invalid values rejected in place, saved as TOML."""

from __future__ import annotations

from gui.schema_form import problem_paths, scenario_fields
from simulator.scenario import Scenario, load_scenario

from .conftest import QUICKSTART


def test_fields_carry_units_ranges_and_descriptions():
    data = load_scenario(QUICKSTART).model_dump(mode="json", exclude_none=True)
    fields = {f.key: f for f in scenario_fields(data, Scenario.model_json_schema())}
    share = fields["households.hems_share"]
    assert (share.kind, share.minimum, share.maximum) == ("number", 0, 1)
    assert "HEMS" in share.description
    assert fields["grid.substations"].kind == "integer"
    assert fields["grid.power_flow"].choices == ("auto", "pandapower", "zbus")
    assert fields["tariffs.bi_horario.energy_eur_per_kwh.vazio"].unit == "€/kWh"
    assert fields["horizon_days"].unit == "days"
    assert fields["retailers.0.customer_share"].exclusive_min


def test_problem_paths_drop_union_tags():
    data = {"grid": {"kind": "synthetic", "substations": 2}, "retailers": [{"tariff": "x"}]}
    assert problem_paths("grid.synthetic.substations: bad (got 'x')", data) == [("grid", "substations")]
    assert problem_paths("<top level>: retailers.0.tariff: unknown tariff", data) == [("retailers", 0, "tariff")]


def test_invalid_value_is_rejected_in_place(main_window):
    editor = main_window.panel.editor
    assert editor.scenario() is not None
    assert main_window.actions.run.isEnabled()
    editor.set_value("households.hems_share", "1.5")
    assert editor.scenario() is None
    message = editor.field_errors["households.hems_share"]
    assert message.startswith("households.hems_share:") and "less than or equal to 1" in message
    assert "ffd7d7" in editor.editor("households.hems_share").styleSheet()
    assert message in editor.editor("households.hems_share").toolTip()
    assert message in editor.problems_label.text()
    assert not main_window.actions.run.isEnabled()
    assert not main_window.run()
    editor.set_value("households.hems_share", "0.5")
    assert editor.scenario().households.hems_share == 0.5
    assert editor.field_errors == {} and editor.editor("households.hems_share").styleSheet() == ""
    assert main_window.actions.run.isEnabled()


def test_text_in_a_number_field_and_cross_field_problems(main_window):
    editor = main_window.panel.editor
    editor.set_value("grid.substations", "two")
    assert "grid.substations" in editor.field_errors
    editor.set_value("grid.substations", "2")
    editor.set_value("retailers.0.customer_share", "0.5")
    assert "must sum to 1" in editor.problems_label.text()


def test_save_as_writes_a_loadable_scenario(main_window, tmp_path):
    main_window.panel.editor.set_value("seed", "7")
    path = tmp_path / "edited.toml"
    assert main_window.save_scenario(path)
    saved = load_scenario(path)
    assert saved.seed == 7 and saved.name == "quickstart"
    files = main_window.panel.files
    assert str(path.resolve()) in [files.item(i).data(256) for i in range(files.count())]
