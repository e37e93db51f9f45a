"""Every tutorial's code runs as printed, in order: Python blocks in one namespace, `python main.py` commands."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("*.md"))
BLOCK = re.compile(r"^```(python|sh)\n(.*?)^```", re.M | re.S)


def code_blocks(page: Path) -> list[tuple[str, str]]:
    """The page's runnable blocks in order: ("python", code) or ("sh", commands)."""
    return [(m[1], m[2]) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]


def run_sh(block: str, cwd: Path) -> None:
    """Run each `python main.py …` line with this interpreter; other lines are not commands of ours."""
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words[:2] != ["python", "main.py"]:
            continue
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), *words[2:]], cwd=cwd, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stderr[-2000:]}"


def test_there_is_a_tutorial_for_each_user():
    assert [p.stem for p in TUTORIALS] == ["policymaker", "researcher", "student"]
    for page in TUTORIALS:
        assert code_blocks(page), f"{page.name} has no code to run"


@pytest.mark.slow
@pytest.mark.parametrize("page", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_tutorial_code_runs_as_printed(page, tmp_path, monkeypatch, capsys):
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")  # the tutorials run from the repository root
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"tutorial_{page.stem}"}
    for kind, code in code_blocks(page):
        if kind == "python":
            exec(compile(code, f"{page.name}", "exec"), namespace)
        else:
            run_sh(code, tmp_path)
    printed = capsys.readouterr().out
    assert printed.strip(), "a tutorial shows its reader something"
    assert not (ROOT / "results" / "my_district").exists() or page.stem != "researcher"
