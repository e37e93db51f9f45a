"""The SVG figures shipped in docs/ and the calibration script that draws them are valid XML (a bare `&` is not)."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("path", sorted((ROOT / "docs").rglob("*.svg")), ids=lambda p: p.name)
def test_shipped_svg_is_valid_xml(path):
    ET.parse(path)  # raises ParseError on a bare & or an unclosed tag


def test_the_calibration_figure_generator_writes_valid_xml():
    spec = importlib.util.spec_from_file_location("calibrate_behaviour", ROOT / "scripts" / "calibrate_behaviour.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    frame = pd.DataFrame(
        [{"kind": k, "technology": t, "ratio": r, "model_pct": 3.0 * r} for k in ("tou", "cpp")
         for t in (False, True) for r in (2.0, 4.0)]
    )  # fmt: skip
    root = ET.fromstring(module.svg(frame))
    assert "Faruqui & Sergici" in "".join(root.itertext())
