"""The evidence register: every file valid, enough studies, a real split, and clear errors for bad files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.response.parameters import FITTED, load_parameter_file
from simulator.evidence.register import REGISTER_DIR, RegisterError, load_register, load_study

STUDIES = load_register()
GOOD = (REGISTER_DIR / "becker_1978.toml").read_text(encoding="utf-8")


def test_register_holds_enough_studies_with_a_fit_and_a_held_out_part():
    roles = [s.role for s in STUDIES]
    assert len(STUDIES) >= 12
    assert roles.count("fit") >= 4
    assert roles.count("validate") >= 4
    for s in STUDIES:
        if s.role != "context":
            assert s.used_effects, s.id
        assert s.url and s.checked and s.authors


def test_every_unverified_effect_says_why():
    for s in STUDIES:
        for e in s.effects:
            if not e.verified:
                assert e.note, f"{s.id}.{e.id}"


def test_the_committed_parameters_were_fitted_on_the_current_fit_studies():
    pf = load_parameter_file()
    fit_ids = sorted(s.id for s in STUDIES if s.role == "fit")
    assert pf.provenance["fit_studies"] == fit_ids
    digest = hashlib.sha256(b"".join((REGISTER_DIR / f"{i}.toml").read_bytes() for i in fit_ids)).hexdigest()
    assert pf.provenance["fit_studies_sha256"] == digest, "fit studies changed: rerun scripts/fit_behaviour.py"
    assert set(pf.fitted) == set(FITTED)
    assert not set(pf.fitted) & set(pf.assumed)


def _write(tmp_path: Path, text: str, name: str = "becker_1978") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_point_outside_its_interval_is_an_error_naming_file_and_key(tmp_path):
    path = _write(tmp_path, GOOD.replace("point = 14.05", "point = 30.0"))
    with pytest.raises(RegisterError) as info:
        load_study(path)
    message = str(info.value)
    assert str(path) in message and "effects.0" in message and "[13.0, 15.1]" in message


def test_a_fitted_study_without_a_verified_effect_is_refused(tmp_path):
    path = _write(tmp_path, GOOD.replace("verified = true", "verified = false"))
    with pytest.raises(RegisterError, match="needs at least one verified effect"):
        load_study(path)


def test_unknown_keys_and_a_file_name_that_differs_from_the_id_are_refused(tmp_path):
    with pytest.raises(RegisterError, match=r"design\.price_ratio"):
        load_study(_write(tmp_path, GOOD.replace("target_pct = 20.0", "target_pct = 20.0\nprice_ratio = 2")))
    with pytest.raises(RegisterError, match="must equal the file name"):
        load_study(_write(tmp_path, GOOD, name="other"))
    with pytest.raises(RegisterError, match="no study files"):
        load_register(tmp_path / "empty")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_study_or_a_register_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("reg") / "x.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_study(path)
    except RegisterError as exc:
        assert str(path) in str(exc)


def test_an_overall_effect_under_a_priced_tariff_needs_the_peak_window_hours(tmp_path):
    """Without peak_hours the conserved part of the peak cut would silently change no total."""
    text = (REGISTER_DIR / "oeb_smart_price_pilot_2007.toml").read_text(encoding="utf-8")
    bad = tmp_path / "oeb_smart_price_pilot_2007.toml"
    bad.write_text(text.replace("peak_hours = 12\n", ""), encoding="utf-8")
    with pytest.raises(RegisterError, match="peak_hours"):
        load_study(bad)
    load_study(REGISTER_DIR / "oeb_smart_price_pilot_2007.toml")
