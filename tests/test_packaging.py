"""cityflex as an installed package: `pip install .`, the `cityflex` command and `import cityflex` from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

TOP = ("cityflex", "gui", "simulator", "agents", "market")


def test_every_folder_with_python_files_is_a_package_that_gets_installed():
    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    found = set(find_packages(str(ROOT), include=config["include"]))
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in TOP
        for p in (ROOT / top).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert folders <= found, f"folders without __init__.py (not installed): {sorted(folders - found)}"
    assert {p.split(".")[0] for p in found} == set(TOP)  # tests/, bench/, scripts/ stay out


def test_the_python_api_and_version():
    import cityflex

    assert {"run", "load_scenario", "compare", "sweep", "CityModel"} <= set(dir(cityflex))
    assert callable(cityflex.run) and cityflex.CityModel.__name__ == "CityModel"
    scenario = cityflex.load_scenario(SCENARIOS / "quickstart.toml", {"households.hems_share": 0.3, "seed": 7})
    assert scenario.households.hems_share == 0.3 and scenario.seed == 7
    with pytest.raises(AttributeError):
        _ = cityflex.no_such_thing
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"cityflex {cityflex.__version__}"


@pytest.mark.parametrize(
    ("setting", "needle"),
    [
        ("households.hems_shar=0.3", "households.hems_shar: Extra inputs are not permitted"),
        ("households.hems_share=1.5", "households.hems_share: Input should be less than or equal to 1"),
        ("households.hems_share=lots", "households.hems_share"),
        ("seed.x=1", "seed.x: seed is a value"),
        ("households.hems_share", "expected KEY=VALUE"),
        ("=3", "expected KEY=VALUE"),
        ("households..x=3", "empty part"),
    ],
)
def test_bad_set_is_one_message_and_exit_2(tmp_path, setting, needle):
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", str(SCENARIOS / "quickstart.toml"), "--set", setting,
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2 and needle in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_pip_install_then_the_command_and_the_api_from_another_directory(tmp_path):
    """A fresh venv (the test's own packages lent to it through a .pth: `--no-deps` keeps it fast)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    Path(purelib, "lent_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    source = tmp_path / "source"  # a copy of the source tree as a user downloads it (no .venv, no results)
    left_out = {".venv", ".git", "results", "build", "docs", "bench", "evidence", "tests"}  # at the top only
    shutil.copytree(ROOT, source, ignore=lambda folder, names: [
        n for n in names if n == "__pycache__" or n.endswith(".egg-info") or (Path(folder) == ROOT and n in left_out)
    ])  # fmt: skip
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
         "--disable-pip-version-check", str(source)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "scenarios").mkdir(parents=True)
    (elsewhere / "scenarios" / "quickstart.toml").write_text((SCENARIOS / "quickstart.toml").read_text())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [venv / "bin" / "cityflex", "run", "scenarios/quickstart.toml", "--set", "horizon_days=1", "--quiet"],
        capture_output=True, text=True, cwd=elsewhere, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert (elsewhere / "results" / "quickstart" / "district.parquet").is_file()
    code = (
        "import cityflex, simulator, agents.response.parameters as p\n"
        "assert 'site-packages' in cityflex.__file__ and 'site-packages' in simulator.__file__\n"
        "assert p.PARAMETERS_FILE.is_file()\n"  # a data file found inside the package, not in the cwd
        "r = cityflex.run('scenarios/quickstart.toml', 'results/api', overrides={'horizon_days': 1})\n"
        "print(r.kpis['peak_kw'] > 0, cityflex.__version__)\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=elsewhere, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[0] == "True" and (elsewhere / "results" / "api" / "kpis.json").is_file()
