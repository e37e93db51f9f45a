"""Every provenance and source reference can be followed: to a shipped page, a named publication, or an assumption."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources"
SEED = re.compile(r"\bseeds? (\d{3}(?:\s*(?:/|,|and)\s*\d{3})*)")
REPO_PATH = re.compile(r"\b((?:agents|market|simulator|scripts|tests|scenarios|evidence)/[\w/.-]+\.(?:py|toml|csv))")
DESCRIPTIVE_KEYS = ("scale",)  # provenance of the run's size: says what 1.0 means, cites nothing


def publication_keys() -> list[str]:
    text = (SOURCES / "publications.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.M)


def references() -> list[tuple[str, str, str]]:
    """(scenario file, key path, text) of every `[provenance]` entry and every `source` in the scenarios."""
    found = []
    for path in sorted((ROOT / "scenarios").rglob("*.toml")):
        def walk(node, key, path=path):
            if isinstance(node, dict):
                for k, v in node.items():
                    walk(v, f"{key}.{k}" if key else k)
            elif isinstance(node, str) and (key.startswith("provenance.") or key.endswith("source")):
                found.append((path.name, key, node))

        walk(tomllib.loads(path.read_text(encoding="utf-8")), "")
    # a one-word `source` is a choice, not a citation (e.g. `[weather] source = "csv"`)
    return [(s, k, t) for s, k, t in found if k.split(".")[-1] not in DESCRIPTIVE_KEYS and " " in t.strip()]


def seeds_in(text: str) -> list[str]:
    return [n for m in SEED.finditer(text) for n in re.findall(r"\d{3}", m[1])]


def test_the_cited_documents_ship_as_pages():
    for page in ("design.md", "domain.md", "publications.md", "seeds/index.md"):
        assert (SOURCES / page).is_file(), page
    assert publication_keys()


@pytest.mark.parametrize(("scenario", "key", "text"), references(), ids=lambda v: v if len(v) < 40 else v[:40])
def test_every_provenance_reference_resolves(scenario, key, text):
    for number in seeds_in(text):
        assert (SOURCES / "seeds" / f"{number}.md").is_file(), f"{scenario} {key}: seed {number} has no page"
    for path in REPO_PATH.findall(text):
        assert (ROOT / path).exists(), f"{scenario} {key}: {path} does not exist"
    named = [k for k in publication_keys() if k.lower() in text.lower()]
    followed = seeds_in(text) or "DOMAIN.md" in text or "DESIGN.md" in text or named
    assert followed or "assumption" in text.lower() or text.startswith("preset"), (
        f"{scenario} {key}: {text!r} names no seed, no page of docs/sources, no publication of "
        "docs/sources/publications.md and is not labelled an assumption"
    )


def test_every_seed_the_code_cites_has_a_page():
    cited = set()
    for pattern in ("agents/**/*.py", "market/**/*.py", "simulator/**/*.py", "scenarios/**/*.toml", "evidence/*.toml"):
        for path in ROOT.glob(pattern):
            cited.update(seeds_in(path.read_text(encoding="utf-8")))
    assert cited, "the code cites the pilot documents"
    missing = sorted(n for n in cited if not (SOURCES / "seeds" / f"{n}.md").is_file())
    assert not missing, f"seeds cited without a page in docs/sources/seeds/: {missing}"
