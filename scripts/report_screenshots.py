"""Screenshots of the comparison report and the planning page for docs/, taken in headless Chromium.

Each page is shot whole at 1280 px wide and cut at its <h2 id=…> sections (positions read from the page
itself). Run after a compare and a plan, e.g.:

    .venv/bin/python main.py compare scenarios/lisbon_district.toml --option flat --option tou --option cpp \
        --replicates 3 --out results/lisbon_district-compare
    .venv/bin/python main.py plan scenarios/lisbon_district.toml --out results/lisbon_district-plan
    .venv/bin/python scripts/report_screenshots.py results/lisbon_district-compare/report.html \
        results/lisbon_district-plan/plan.html
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QImage

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]  # fmt: skip
WIDTH = 1280
PROBE = ("<script>const o=document.createElement('pre');o.id='__pos';o.textContent=JSON.stringify({h:document"
         ".documentElement.scrollHeight,s:[...document.querySelectorAll('h2[id]')].map(e=>[e.id,e.getBoundingClie"
         "ntRect().top+scrollY])});document.body.appendChild(o)</script>")  # fmt: skip
SHOTS = {  # page kind → (file name, first section, section that ends the shot or None for the page's end)
    "report": [("report_summary.png", None, "tariffs"), ("report_tariffs.png", "tariffs", "bills"),
               ("report_who_pays.png", "bills", "load"), ("report_load.png", "load", None)],
    "plan": [("plan.png", None, "assumptions")],
}  # fmt: skip


def _chromium(args: list[str], profile: Path) -> str:
    binary = shutil.which("chromium") or sys.exit("chromium is not installed (Debian package `chromium`)")
    run = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                         timeout=120, check=False)  # fmt: skip
    return run.stdout


def shoot(page: Path, kind: str, out_dir: Path) -> list[Path]:
    """Write the section screenshots of `page` into `out_dir`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        probed = work / "probed.html"
        probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom = _chromium([f"--window-size={WIDTH},1000", "--dump-dom", probed.as_uri()], work / "p1")
        pos = json.loads(re.search(r"<pre id=\"__pos\">(.*?)</pre>", dom, re.S).group(1))
        full = work / "full.png"
        _chromium([f"--window-size={WIDTH},{int(pos['h'])}", f"--screenshot={full}", page.as_uri()], work / "p2")
        image, tops = QImage(str(full)), dict(pos["s"])
        written = []
        for name, start, end in SHOTS[kind]:
            top = 0 if start is None else int(tops[start]) - 10
            bottom = image.height() if end is None else int(tops[end]) - 10
            target = out_dir / name
            image.copy(0, top, WIDTH, bottom - top).save(str(target))
            written.append(target)
    return written


if __name__ == "__main__":
    docs = Path(__file__).resolve().parent.parent / "docs"
    report, plan = (Path(p).resolve() for p in sys.argv[1:3])
    for path in [*shoot(report, "report", docs), *shoot(plan, "plan", docs)]:
        print(f"wrote {path}")
