"""The static site of a release: links, quotes, and real Chromium (Debian's, via Playwright)."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

BTC = Path("id/pipeline/baku-tbilisi-ceyhan-pipeline.html")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value:
                self.refs.append(value)
            if name == "id" and value:
                self.ids.add(value)


@functools.cache
def _parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_every_link_is_relative_and_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        docs = page.parent.name == "ontology"  # pyLODE's page links out to the vocabularies
        for ref in _parse(page).refs:
            if docs and re.match(r"^(https?|data):", ref):
                continue
            if ref.startswith("https://w3id.org/") or ref.startswith("http://www.wikidata.org/"):
                continue  # IRIs shown as outbound links, never loaded by the page
            assert not re.match(r"^[a-z]+:|^/", ref), f"{page}: {ref} is not relative"
            target, _, anchor = ref.partition("#")
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.exists(), f"{page.relative_to(site)}: {ref} is broken"
            if anchor and resolved.suffix == ".html":
                assert anchor in _parse(resolved).ids, f"{page}: #{anchor} missing"


def test_each_entity_page_has_its_turtle_and_jsonld(site: Path) -> None:
    page = site / BTC
    html = page.read_text(encoding="utf-8")
    slug = page.stem
    assert f'href="{slug}.ttl"' in html and f'href="{slug}.jsonld"' in html
    turtle = page.with_suffix(".ttl").read_text(encoding="utf-8")
    assert f"pipeline:{slug}" in turtle and "az:quote" in turtle


def test_quotes_are_highlighted_in_their_sentence_and_paragraph(site: Path) -> None:
    html = (site / BTC).read_text(encoding="utf-8")
    quote = "Construction began in 2003 and entered into operation three years later."
    sentence = html.split(f"<mark>{quote}</mark>")[0].rsplit("<blockquote", 1)[1]
    assert "Baku-Tbilisi-Ceyhan" not in sentence  # the sentence alone, collapsed
    paragraphs = [p.split("</p>", 1)[0] for p in html.split('<p class="paragraph">')[1:]]
    [paragraph] = [p for p in paragraphs if quote in p]
    assert "Baku-Tbilisi-Ceyhan (BTC) Oil Pipeline" in paragraph


def test_timeline_shows_dates_at_their_precision(site: Path) -> None:
    html = (site / "timeline.html").read_text(encoding="utf-8")
    dates = re.findall(r'<td class="date">([^<]*)</td>', html)
    assert dates == sorted(dates) and "2003" in dates
    assert all(re.fullmatch(r"\d{4}(-\d{2}){0,2}", d) for d in dates)


def test_htaccess_negotiates_turtle_jsonld_and_html(site: Path) -> None:
    text = (site / ".htaccess").read_text()
    assert "RewriteCond %{HTTP_ACCEPT} text/turtle" in text
    assert "$1.jsonld" in text and "$1.html" in text
    assert "RewriteRule ^id/" in (site.parent / "w3id.htaccess").read_text()


def test_browser_follows_an_entity_to_its_source_quote_and_back(
    site: Path, page: Any, tmp_path: Path
) -> None:
    page.goto((site / "id" / "conflict" / "second-nagorno-karabakh-war.html").as_uri())
    assert page.locator("h1").inner_text() == "Second Nagorno-Karabakh War"
    page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)
    ref = page.locator("details.ref").first
    ref.locator("summary").click()  # the reference opens on the quote in its sentence
    link = ref.locator("a.to-source").first
    quote = ref.locator("blockquote mark").first.inner_text()
    anchor = str(link.get_attribute("href")).rsplit("#", 1)[1]
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#{anchor}") and "/id/source/" in page.url
    mark = page.locator(f"#{anchor} + mark")
    assert " ".join(quote.split()) in " ".join(mark.inner_text().split())
    assert mark.is_visible()
    page.screenshot(path=str(tmp_path / "source.png"))
    page.locator("details.cited", has_text=anchor).locator("summary").click()
    back = page.locator("details.cited li", has_text=anchor).locator("a.back")
    back.filter(has_text="Second Nagorno-Karabakh War").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/id/conflict/second-nagorno-karabakh-war.html")
    assert page.requests and all(u.startswith("file://") for u in page.requests)


def test_browser_renders_the_timeline_and_the_picture(
    site: Path, page: Any, tmp_path: Path
) -> None:
    page.goto((site / "timeline.html").as_uri())
    rows = page.locator("table.timeline tr")
    assert rows.count() > 2
    assert re.fullmatch(r"\d{4}", page.locator("table.timeline td.date").first.inner_text())
    page.screenshot(path=str(tmp_path / "timeline.png"))
    page.goto((site / "graph.html").as_uri())
    svg = page.locator(".picture svg")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert page.locator(".picture svg g.node").count() >= 3
    page.screenshot(path=str(tmp_path / "graph.png"))
    page.locator(".picture svg g.node a").first.click()
    page.wait_for_load_state()
    assert "/id/" in page.url and page.locator("h1").is_visible()
    assert (tmp_path / "graph.png").stat().st_size > 1000
