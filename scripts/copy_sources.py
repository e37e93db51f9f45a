"""Copy the documents the code cites (design, domain facts, pilot sources) into docs/sources/ as site pages.

The originals live outside the repository (the team's shared folder); CI and readers of the site need
them inside it, so that every `[provenance]` reference ("seed 003", "DOMAIN.md") can be followed.
Markdown files are copied as they are; the plain-text pilot documents are wrapped in a page with a
title and the text in a literal block, unchanged.

    .venv/bin/python scripts/copy_sources.py [SHARED_DIR]   # default: ../shared beside the repository
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sources"
PAGES = {"DESIGN.md": "design.md", "DOMAIN.md": "domain.md", "STYLE.md": "style.md"}


def seed_page(text: str, number: str, title: str) -> str:
    """A page for one plain-text pilot document: a heading, where it comes from, the text verbatim."""
    fence = "````" if "```" in text else "```"
    return (
        f"# Seed {number}: {title}\n\n"
        f"A plain-text copy of a public pilot document, cited in the code and the scenarios as "
        f"\"seed {number}\". See [the index](index.md) for what the simulator takes from it.\n\n"
        f"{fence}text\n{text.rstrip()}\n{fence}\n"
    )


def main(shared: Path) -> None:
    """Write docs/sources/{design,domain,style}.md and docs/sources/seeds/{index,000…}.md."""
    (DOCS / "seeds").mkdir(parents=True, exist_ok=True)
    for name, page in PAGES.items():
        (DOCS / page).write_text((shared / name).read_text(encoding="utf-8"), encoding="utf-8")
    index = (shared / "seeds" / "INDEX.md").read_text(encoding="utf-8")
    titles = dict(re.findall(r"^\| (\d{3})_[0-9a-f]+\.txt \| ([^|]+?) \|", index, flags=re.M))
    linked = re.sub(r"^\| (\d{3})_[0-9a-f]+\.txt \|", lambda m: f"| [seed {m[1]}]({m[1]}.md) |", index, flags=re.M)
    (DOCS / "seeds" / "index.md").write_text(linked, encoding="utf-8")
    for path in sorted((shared / "seeds").glob("[0-9][0-9][0-9]_*.txt")):
        number = path.name[:3]
        text = path.read_text(encoding="utf-8")
        (DOCS / "seeds" / f"{number}.md").write_text(seed_page(text, number, titles.get(number, path.stem)))
    print(f"wrote {DOCS}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")
