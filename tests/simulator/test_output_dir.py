"""Nothing cityflex writes replaces or deletes what it did not create (issue 12 §1), through the CLI and the API."""

from __future__ import annotations

import fcntl
import os
import string
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from simulator.cli.commands import main
from tests.conftest import SCENARIOS


def _scenario(tmp_path: Path, name: str = "qs") -> Path:
    text = (SCENARIOS / "quickstart.toml").read_text().replace("horizon_days = 2", "horizon_days = 1")
    text = text.replace('name = "quickstart"', f"name = {name!r}".replace("'", '"'))
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


def _user_dir(path: Path) -> Path:
    """A folder of the user's: cityflex must never touch it."""
    path.mkdir(parents=True)
    (path / "thesis.tex").write_text("three years of work")
    (path / ".git").mkdir()
    return path


def _untouched(path: Path) -> bool:
    return (path / "thesis.tex").read_text() == "three years of work" and (path / ".git").is_dir()


def _run(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """The project a user runs from: an earlier run in results/ and their own files beside it."""
    monkeypatch.chdir(tmp_path)
    _user_dir(tmp_path / "results" / "earlier-run")
    return tmp_path


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "/etc-ish", "a/../../b", "\x00"])
def test_a_scenario_name_stays_one_folder_inside_results(workdir, capsys, name):
    _user_dir(workdir / "x")
    scenario = _scenario(workdir, name.replace("/etc-ish", str(workdir / "abs")))
    code, err = _run(["run", str(scenario), "--quiet"], capsys)
    if code == 2:  # the scenario schema may refuse the name itself: fine, as long as nothing was touched
        assert "error:" in err
    else:
        assert code == 0, err
        written = [p for p in (workdir / "results").iterdir() if p.name != "earlier-run"]
        assert len(written) == 1 and (written[0] / "kpis.json").is_file()
    assert _untouched(workdir / "results" / "earlier-run") and _untouched(workdir / "x")
    assert not (workdir / "abs").exists()
    assert sorted(p.name for p in workdir.iterdir()) == ["results", "scenario.toml", "x"]


@pytest.mark.parametrize("out", [".", "results", "results/earlier-run", "notes.txt", "link"])
def test_out_that_is_not_a_cityflex_result_is_refused_with_exit_2(workdir, capsys, out):
    (workdir / "notes.txt").write_text("mine")
    (workdir / "link").symlink_to(workdir / "results" / "earlier-run")
    scenario = _scenario(workdir)
    for command in (["run", str(scenario)], ["check", str(scenario)], ["compare", str(scenario), "--option", "flat"]):
        code, err = _run([*command, "--out", out, "--quiet"], capsys)
        assert code == 2 and err.startswith("error: ") and "Traceback" not in err, (command, err)
    for command in (["plan", str(scenario)], ["data-catalogue", str(scenario)]):
        code, err = _run([*command, "--out", out], capsys)
        assert code == 2 and err.startswith("error: "), (command, out, err)
    assert _untouched(workdir / "results" / "earlier-run") and (workdir / "notes.txt").read_text() == "mine"
    assert (workdir / "scenario.toml").is_file() and (workdir / "link").is_symlink()


def test_sweep_and_hub_stress_refuse_a_foreign_folder(workdir, capsys):
    sweep = workdir / "sweep.toml"
    sweep.write_text(
        f'name = "s"\nbase = "{_scenario(workdir)}"\ndesign = "grid"\nseeds = {{ count = 1, first = 1 }}\n'
        'kpis = ["peak_kw"]\n[parameters]\n"households.hems_share" = [0.0]\n'
    )
    code, err = _run(["sweep", str(sweep), "--out", "results/earlier-run", "--quiet", "--engine", "serial"], capsys)
    assert code == 2 and "not a cityflex results directory" in err
    stress = SCENARIOS / "upgrid_mhp_stress.toml"
    code, err = _run(["run", str(stress), "--out", "results/earlier-run", "--quiet"], capsys)
    assert code == 2 and "not a cityflex results directory" in err
    assert _untouched(workdir / "results" / "earlier-run")


def test_a_cityflex_result_an_empty_folder_and_an_old_result_are_replaced(workdir, capsys):
    scenario = str(_scenario(workdir))
    assert _run(["run", scenario, "--out", "results/r", "--quiet"], capsys)[0] == 0
    assert (workdir / "results" / "r" / ".cityflex").is_file()
    assert _run(["run", scenario, "--out", "results/r", "--quiet"], capsys)[0] == 0  # its own: replaced
    (workdir / "empty").mkdir()
    assert _run(["run", scenario, "--out", "empty", "--quiet"], capsys)[0] == 0
    (workdir / "results" / "r" / ".cityflex").unlink()  # as written before the marker existed
    assert _run(["run", scenario, "--out", "results/r", "--quiet"], capsys)[0] == 0
    assert sorted(p.name for p in (workdir / "results").iterdir()) == ["earlier-run", "r"]  # no litter beside


def test_plan_csv_and_catalogue_csv_replace_only_their_own_file(workdir, capsys):
    scenario = str(_scenario(workdir))
    assert _run(["data-catalogue", scenario, "--out", "cat.csv"], capsys)[0] == 0
    assert _run(["data-catalogue", scenario, "--out", "cat.csv"], capsys)[0] == 0  # its own: replaced
    (workdir / "cat.csv").write_text("my,own\n1,2\n")
    assert _run(["data-catalogue", scenario, "--out", "cat.csv"], capsys)[0] == 2
    assert (workdir / "cat.csv").read_text() == "my,own\n1,2\n"
    (workdir / "plan.html").write_text("<html>my page</html>")
    assert _run(["plan", scenario, "--out", "plan.csv"], capsys)[0] == 2
    assert (workdir / "plan.html").read_text() == "<html>my page</html>" and not (workdir / "plan.csv").exists()


def test_python_api_refuses_too(workdir, quickstart_result):
    from simulator.errors import ResultsDirError
    from simulator.results.run_result import write_results
    from simulator.runner import run

    with pytest.raises(ResultsDirError, match="not a cityflex results directory"):
        write_results(quickstart_result, workdir / "results" / "earlier-run")
    with pytest.raises(ResultsDirError, match="holds the working directory"):
        run(_scenario(workdir), out=workdir)  # refused before the run starts
    assert _untouched(workdir / "results" / "earlier-run")


def test_temporaries_of_dead_writers_go_live_ones_stay(tmp_path, quickstart_result):
    from simulator.results.output_dir import MARKER
    from simulator.results.run_result import write_results

    dead = tmp_path / ".r.cityflex-tmp-dead"
    dead.mkdir()
    (dead / MARKER).write_text("{}")
    (dead / "district.parquet").write_text("half")
    live = tmp_path / ".other.cityflex-tmp-live"
    live.mkdir()
    (live / MARKER).write_text("{}")
    fd = os.open(live / MARKER, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as its writer holds it
    try:
        write_results(quickstart_result, tmp_path / "r")
        assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "r"]
    finally:
        os.close(fd)
    write_results(quickstart_result, tmp_path / "r")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_old_result_put_aside_by_a_killed_swap_comes_back(tmp_path, quickstart_result):
    from simulator.results.output_dir import clean_stale
    from simulator.results.run_result import read_results, write_results

    write_results(quickstart_result, tmp_path / "r")
    (tmp_path / "r").rename(tmp_path / ".r.cityflex-old-123")  # killed between the two renames (no renameat2)
    clean_stale(tmp_path)
    assert read_results(tmp_path / "r").kpis["peak_kw"] == quickstart_result.kpis["peak_kw"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("/\\.\x00"), max_size=300))
@example("")
@example("../../etc")
@example("/" * 3)
@example("." * 3)
@example("é" * 200)
def test_safe_name_is_one_harmless_component(name):
    from simulator.results.output_dir import MAX_NAME, safe_name

    cleaned = safe_name(name)
    parent = Path("/results")
    assert (parent / cleaned).parent == parent and (parent / cleaned).name == cleaned
    assert cleaned not in ("", ".", "..") and not cleaned.startswith(".") and len(cleaned) <= MAX_NAME
    assert "\x00" not in cleaned and len(cleaned.encode()) <= 4 * MAX_NAME
    if name.strip() and set(name) <= set(string.ascii_letters + string.digits + "-_ ") and name.strip() == name:
        assert cleaned == name[:MAX_NAME].rstrip()  # an ordinary name is kept as it is
