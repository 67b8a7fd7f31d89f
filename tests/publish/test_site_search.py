"""Issue #19 item 4: the site's search works offline, from file://, over labels, names as
written and quotes, and its index is byte-stable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def _search(page: Any, site: Path, start: str, words: str) -> list[tuple[str, str]]:
    page.goto((site / start).as_uri())
    page.fill("#search input", words)
    page.wait_for_selector("#search ol.hits li a")
    links = page.locator("#search ol.hits li a")
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "")
        for i in range(links.count())
    ]


@pytest.mark.parametrize(
    ("start", "words", "expected"),
    [
        ("index.html", "Ceyhan", "Ceyhan"),
        ("timeline.html", "Haydar Aliyey", "Heydar Aliyev"),
    ],
)
def test_search_finds_from_file_urls(
    page: Any, site: Path, start: str, words: str, expected: str
) -> None:
    hits = _search(page, site, start, words)
    assert any(expected in label for label, _ in hits), hits
    label, href = next(h for h in hits if expected in h[0])
    page.click(f"#search ol.hits a[href='{href}']")
    page.wait_for_load_state()
    assert page.url.startswith("file://")
    assert expected in page.locator("h1").inner_text()
    assert all(url.startswith("file://") for url in page.requests)


def test_search_reaches_quotes(page: Any, site: Path) -> None:
    """A word found only in a quote (not a label) still leads to the entity citing it."""
    hits = _search(page, site, "index.html", "project of the century")
    assert any("Baku" in label for label, _ in hits), hits


def test_every_page_has_the_search_box(site: Path) -> None:
    pages = [p for p in site.rglob("*.html") if "ontology" not in p.parts]
    assert len(pages) > 100
    missing = [p for p in pages if 'id="search-q"' not in p.read_text(encoding="utf-8")]
    assert missing == []
    index = (site / "search-index.js").read_text(encoding="utf-8")
    assert index.startswith("/* azgraph search index")
    assert "Haydar Aliyey" in index
    assert "http://" not in (site / "search.js").read_text(encoding="utf-8")
