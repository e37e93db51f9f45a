"""`main.py evidence`: every study replayed; at least four held-out studies land; misses named with a reason."""

from __future__ import annotations

import xml.dom.minidom

import pytest

from agents.response.parameters import load_parameters
from simulator.cli.commands import main
from simulator.evidence.evaluate import REQUIRED_HELD_OUT, evaluate, held_out_landing
from simulator.evidence.register import load_register


@pytest.fixture(scope="module")
def rows():
    return evaluate(load_parameters(), load_register())


def test_at_least_four_held_out_studies_land_in_their_published_interval(rows):
    landing = held_out_landing(rows)
    assert len(landing) >= REQUIRED_HELD_OUT
    assert sum(landing.values()) >= REQUIRED_HELD_OUT, landing


def test_the_fit_reproduces_its_own_studies_within_their_tolerance(rows):
    fitted = [r for r in rows if r.study.role == "fit" and r.used]
    assert fitted and sum(r.lands for r in fitted) >= 0.8 * len(fitted)


def test_command_prints_every_study_with_its_role_and_writes_a_valid_svg(tmp_path, capsys):
    figure = tmp_path / "fig" / "evidence.svg"
    assert main(["evidence", "--figure", str(figure)]) == 0
    out = capsys.readouterr().out
    for s in load_register():
        assert s.id in out
    assert "criterion holds" in out and "Missed by the model, and why:" in out
    assert "Assumed parameters" in out
    xml.dom.minidom.parse(str(figure))
    assert main(["evidence", "--figure", str(figure)]) == 0  # its own figure may be replaced


def test_the_default_figure_goes_to_results_not_into_the_users_docs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["evidence"]) == 0
    assert (tmp_path / "results" / "evidence.svg").is_file() and not (tmp_path / "docs").exists()
    assert "figure written to results/evidence.svg" in capsys.readouterr().out


def test_command_refuses_to_overwrite_a_file_it_did_not_write(tmp_path, capsys):
    mine = tmp_path / "notes.svg"
    mine.write_text("<svg/>", encoding="utf-8")
    assert main(["evidence", "--figure", str(mine)]) == 2
    assert "was not written by `evidence`" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "<svg/>"


def test_a_bad_register_exits_2_with_the_file_named(tmp_path, capsys):
    (tmp_path / "broken.toml").write_text("id = 'broken'\nrole = 'fit'\n", encoding="utf-8")
    assert main(["evidence", "--register", str(tmp_path), "--no-figure"]) == 2
    assert "broken.toml" in capsys.readouterr().err
