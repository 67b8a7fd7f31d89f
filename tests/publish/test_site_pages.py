"""What the entity, source and relation pages say (issue #19), read from the built HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from azgraph.rdf.namespaces import AZ

BTC = Path("id/pipeline/baku-tbilisi-ceyhan-pipeline.html")
HEYDAR = Path("id/person/heydar-aliyev.html")
CEMERI = Path("id/source/cemeri-2022.html")


class Text(HTMLParser):
    """The page's text, and the text of each element with a given class."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted = wanted
        self.text: list[str] = []
        self.found: list[list[str]] = []
        self.depth = 0  # > 0 inside a wanted element
        self.links: dict[str, str] = {}  # href -> class of every <a class=...>
        self.skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.skip = tag in ("script", "style", "svg") or self.skip
        if tag == "a" and a.get("class"):
            self.links[str(a.get("href"))] = str(a.get("class"))
        if self.depth:
            self.depth += 1
        elif self.wanted in (a.get("class") or "").split():
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self.skip = False
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.text.append(data)
        if self.depth:
            self.found[-1].append(data)


def _read(path: Path, wanted: str = "paragraph") -> Text:
    parser = Text(wanted)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_numbers_read_as_people_write_them(site: Path) -> None:
    text = _norm(" ".join(_read(site / BTC).text))
    assert "1,768 km" in text and "1 million barrels per day" in text
    for page in sorted((site / "id").rglob("*.html")):
        visible = " ".join(_read(page).text).replace("CC BY 4.0", "")
        assert not re.search(r"(?<![\d.])\d+\.0\b", visible), f"{page.name}: a float shown raw"


def test_no_paragraph_appears_twice_on_any_entity_page(site: Path) -> None:
    checked = 0
    for page in sorted((site / "id").rglob("*.html")):
        parsed = _read(page)
        text = _norm("".join(parsed.text))
        for paragraph in (_norm("".join(p)) for p in parsed.found):
            checked += 1
            assert text.count(paragraph) == 1, f"{page.name}: repeated: {paragraph[:60]}"
    assert checked > 50


def test_every_property_name_links_to_its_definition(site: Path) -> None:
    docs = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    html = (site / BTC).read_text(encoding="utf-8")
    props = re.findall(r'<a class="prop" href="\.\./\.\./ontology/index\.html#([^"]+)"', html)
    assert len(props) >= 10 and 'class="prop" title' not in html.replace("<a class", "")
    for anchor in props:
        assert f'id="{anchor}"' in docs
    assert f"<code>{AZ.lengthKm}</code>" in docs


def test_a_person_page_shows_offices_with_their_dates(site: Path) -> None:
    text = _norm(" ".join(_read(site / HEYDAR).text))
    assert "President of Azerbaijan, 1993–2003" in text
    assert "“Haydar Aliyey”" in text  # the source's spelling, as written
    page = (site / HEYDAR).read_text(encoding="utf-8")
    statements = page.split("<h2>Statements</h2>", 1)[1].split("<h2>", 1)[0]
    # az:positionHeld says what the tenure says without its dates: one row, with the dates
    assert "position held" not in statements and statements.count("1993–2003") == 1


def test_source_page_shows_the_bibliography_and_no_web_furniture(site: Path) -> None:
    seed = (site.parents[2] / "seeds" / "cemeri-2022.txt").read_text(encoding="utf-8")
    assert "Skip to content" in seed  # the verbatim seed keeps it
    text = _norm(" ".join(_read(site / CEMERI).text))
    for shown in ("Oween Barranzuela", "CEMERI", "12 September 2022", "licence"):
        assert shown in text
    for furniture in ("Skip to content", "Related articles"):
        assert furniture not in text.split("The text", 1)[1]


def test_each_source_has_bibtex_and_csl_json(site: Path) -> None:
    for name in ("cemeri-2022", "ocmedia-2021"):
        bib = (site / "id" / "source" / f"{name}.bib").read_text(encoding="utf-8")
        assert bib.startswith("@misc{") and "author = {" in bib and "year = {20" in bib
        (item,) = json.loads((site / "id" / "source" / f"{name}.csl.json").read_text())
        assert {"id", "type", "title", "author", "issued", "publisher"} <= set(item)
        assert item["author"][0]["family"] and item["issued"]["date-parts"][0][0] >= 2021
    html = (site / CEMERI).read_text(encoding="utf-8")
    assert 'href="cemeri-2022.bib"' in html and "barranzuela2022" in html


def test_each_statement_has_a_stable_iri_and_a_citation(site: Path) -> None:
    html = (site / BTC).read_text(encoding="utf-8")
    iri = "https://w3id.org/azgraph/id/pipeline/baku-tbilisi-ceyhan-pipeline#az-lengthKm-"
    fragment = re.search(r'id="(az-lengthKm-[0-9a-f]{8})"', html)
    assert fragment is not None
    assert f"Statement {iri}{fragment.group(1)[len('az-lengthKm-') :]}" in html
    assert "Barranzuela, O. (2022)." in html and "line 58" in html


def test_the_overview_lists_the_same_relations_as_text(site: Path) -> None:
    html = (site / "graph.html").read_text(encoding="utf-8")
    edges = re.search(r"(\d+) direct relations", html)
    assert edges is not None
    items = re.findall(
        r"<em>[^<]+</em> ((?:<a [^>]+>[^<]+</a>(?:, )?)+)", html.split('id="relations"')[1]
    )
    assert sum(len(re.findall("<a ", i)) for i in items) == int(edges.group(1))


def test_most_entity_pages_have_their_own_neighbourhood_picture(site: Path) -> None:
    pages = [
        p for p in (site / "id").rglob("*.html") if p.parent.name not in ("evidence", "source")
    ]
    drawn = [p for p in pages if 'class="neighbourhood"' in p.read_text(encoding="utf-8")]
    assert len(drawn) > 0.8 * len(pages)
    assert (
        "Baku–Tbilisi–Ceyhan"
        in (site / BTC).read_text(encoding="utf-8").split('class="neighbourhood"')[1]
    )
