"""The site as a reader sees it at 1280 px, in real Chromium (issue #19 acceptance)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF

from azgraph.rdf.namespaces import AZ

BTC = Path("id/pipeline/baku-tbilisi-ceyhan-pipeline.html")
REQUIRED = ("claimReviewed", "itemReviewed", "reviewRating", "author", "url", "reviewBody")


def test_the_pipeline_page_fits_two_screens_with_references_collapsed(
    site: Path, page: Any, tmp_path: Path
) -> None:
    page.goto((site / BTC).as_uri())
    assert page.locator("details.ref[open]").count() == 0
    assert page.locator("details.ref").count() >= 15  # a page with many references
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * page.viewport_size["height"], f"{height} px tall"
    page.screenshot(path=str(tmp_path / "btc.png"), full_page=True)


def test_a_reference_opens_to_its_paragraph(site: Path, page: Any) -> None:
    page.goto((site / BTC).as_uri())
    ref = page.locator("details.ref", has_text="¶").first
    ref.locator("summary").click()
    assert ref.locator("blockquote mark").is_visible()
    ref.locator("a.para-link").click()
    target = page.locator("details.para[open] p.paragraph")
    assert target.count() == 1 and target.is_visible()


def test_the_overview_picture_fits_the_content_width(site: Path, page: Any) -> None:
    page.goto((site / "graph.html").as_uri())
    content = page.evaluate(
        "(() => { const m = document.querySelector('main'); const s = getComputedStyle(m);"
        " return m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); })()"
    )
    box = page.locator(".picture svg").bounding_box()
    assert box is not None and 0.6 * content <= box["width"] <= content
    assert page.locator(".picture svg g.node").count() >= 20
    assert page.locator("ul.relations li").count() >= 20


def test_every_disputed_claim_has_a_claimreview(site: Path, real_release: Path, page: Any) -> None:
    data = Graph().parse(real_release / "data.ttl")
    disputed = {
        (a, e)
        for a in data.subjects(AZ.claimStatus, Literal("disputed"))
        if (a, RDF.type, OWL.Axiom) in data
        for e in data.objects(a, AZ.evidence)
    }
    reviews = json.loads((real_release / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert len(reviews) == len(disputed) > 0
    page.goto((site / "id" / "statistic" / "btc-world-rank.html").as_uri())
    rendered = json.loads(page.locator("script#claimreview").text_content())
    assert rendered and all(r in reviews for r in rendered)
    for review in rendered + reviews:
        assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
        assert all(review.get(key) for key in REQUIRED), review
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["appearance"]["@id"].startswith("https://w3id.org/")
        assert review["reviewRating"]["alternateName"] == "Disputed"
    claims = [r["claimReviewed"] for r in rendered]
    assert "It is the second largest oil pipeline in the world." in claims
