"""Open an HTML page in a real headless Chromium (Debian's `chromium` package): what the page reports about its
own layout and errors, a screenshot, and a printed PDF.

The page is copied next to itself with a small probe script injected (first in <head>: collects script errors,
failed loads and console errors; last in <body>: measures the layout after it is laid out) and opened with
`--dump-dom`; the probe writes its JSON into the DOM. The screenshot and the PDF are taken of the page unchanged.
No network: Chromium runs with background networking, component updates and sync off.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--disable-extensions", "--mute-audio",
)  # fmt: skip

_HEAD = """<script>window.__probe={errors:[]};
addEventListener('error',e=>__probe.errors.push('error: '+
 (e.message||(e.target&&(e.target.src||e.target.href))||e.type)),true);
addEventListener('securitypolicyviolation',e=>__probe.errors.push('csp: '+e.blockedURI));
(()=>{const ce=console.error.bind(console);
 console.error=(...a)=>{__probe.errors.push('console: '+a.join(' '));ce(...a)}})();
</script>"""
_BODY = """<script>(()=>{const p=window.__probe,d=document.documentElement;
p.viewport=innerWidth;p.scrollWidth=d.scrollWidth;p.height=d.scrollHeight;
p.sections={};document.querySelectorAll('h2[id]').forEach(h=>{const r=h.getBoundingClientRect();
p.sections[h.id]=r.height});
p.overflowing=[...document.querySelectorAll('svg,table,div,p')].filter(e=>e.getBoundingClientRect().right>innerWidth+1)
 .map(e=>e.tagName+'.'+e.className).slice(0,10);
p.charts=document.querySelectorAll('svg.chart').length;
p.resources=performance.getEntriesByType('resource').map(r=>r.name);
const o=document.createElement('pre');o.id='__probe_out';o.textContent=JSON.stringify(p);
document.body.appendChild(o)})();
</script>"""


def chromium() -> str | None:
    """The Chromium binary on PATH (Debian: `chromium`), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageCheck:
    """What the probe measured, plus the screenshot and the PDF written."""

    probe: dict
    screenshot: Path
    pdf: Path
    stderr: str


def _run(binary: str, args: list[str], profile: Path, timeout_s: float = 120) -> subprocess.CompletedProcess:
    cmd = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)


def open_page(page: Path, work: Path, width: int = 1280, height: int = 1800) -> PageCheck:
    """Open `page` in headless Chromium: probe it, screenshot it at width × height, print it to PDF."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (Debian package `chromium`)")
    text = page.read_text(encoding="utf-8")
    probed = page.with_name(f".probe-{page.name}")
    head = text.index("<head>") + len("<head>")
    body = text.rindex("</body>")
    probed.write_text(text[:head] + _HEAD + text[head:body] + _BODY + text[body:], encoding="utf-8")
    size = f"--window-size={width},{height}"
    try:
        dom = _run(binary, [size, "--dump-dom", probed.as_uri()], work / "profile-dom")
    finally:
        probed.unlink(missing_ok=True)
    found = re.search(r"<pre id=\"__probe_out\">(.*?)</pre>", dom.stdout, re.S)
    if found is None:
        raise RuntimeError(f"the probe did not run; chromium said:\n{dom.stderr[-2000:]}")
    probe = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    shot, pdf = work / "screenshot.png", work / "print.pdf"
    _run(binary, [size, f"--screenshot={shot}", page.as_uri()], work / "profile-shot")
    _run(binary, [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()], work / "profile-pdf")
    return PageCheck(probe, shot, pdf, dom.stderr)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG from its header."""
    data = path.read_bytes()[:24]
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def pdf_pages(path: Path) -> int:
    """Number of pages of a PDF Chromium printed (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", path.read_bytes()))


def screenshot_stats(path: Path, margin_px: int = 8) -> dict[str, float]:
    """From a screenshot: its size, how many distinct colours a grid of samples holds (a blank or broken page has
    few), and the darkest pixel in the rightmost `margin_px` columns (content cut off at the edge is dark)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"{path}: not an image")
    w, h = image.width(), image.height()
    colours = {image.pixel(x, y) for x in range(0, w, 16) for y in range(0, h, 16)}
    edge = min(image.pixelColor(x, y).lightness() for x in range(w - margin_px, w)
               for y in range(0, h, 4))  # fmt: skip
    return {"width": w, "height": h, "colours": len(colours), "edge_min_lightness": edge}
