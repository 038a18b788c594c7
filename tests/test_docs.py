"""The documentation a new developer reads points at things that exist.

A link to a page, or a path to a module, that a rename left behind sends a newcomer nowhere; a
reference outside the repository (the old ../shared folder) is not in their clone at all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_LINK = re.compile(r"\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)")
_PATH = re.compile(r"`((?:app|tests|resources|scripts|installer|requirements|docs|\.ci)/[A-Za-z0-9_./*\-]*)")


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_link_and_path_exists(page):
    text = page.read_text("utf-8")
    missing = [f"link {target}" for target in _LINK.findall(text)
               if not target.startswith(("http://", "https://", "mailto:")) and not (page.parent / target).exists()]
    for path in _PATH.findall(text):
        path = path.rstrip(".")
        found = list(ROOT.glob(path)) if "*" in path else [ROOT / path] if (ROOT / path).exists() else []
        if not found:
            missing.append(f"path {path}")
    assert not missing, f"{_name(page)} points at what does not exist: {', '.join(missing)}"


def test_nothing_points_outside_the_repository():
    outside = [_name(page) for page in PAGES if "../shared" in page.read_text("utf-8")]
    assert not outside


def test_the_readme_leads_to_every_page_of_docs():
    readme = (ROOT / "README.md").read_text("utf-8")
    index = (ROOT / "docs" / "README.md").read_text("utf-8")
    assert "docs/README.md" in readme
    pages = [p.name for p in (ROOT / "docs").glob("*.md") if p.name != "README.md"]
    assert pages and all(name in index for name in pages)
    decisions = [p.name for p in (ROOT / "docs" / "decisions").glob("0*.md")]
    listed = (ROOT / "docs" / "decisions" / "README.md").read_text("utf-8")
    assert decisions and all(name in listed for name in decisions)
