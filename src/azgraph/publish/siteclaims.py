"""Disputed claims in the fact-checkers' format: schema.org ``ClaimReview`` JSON-LD.

Each fact the editors mark ``az:claimStatus "disputed"`` becomes one ClaimReview: the claim as
the source states it (the verbatim quote), the source as the appearance of the reviewed Claim,
and the editors' note as the review. The same objects go into the entity page (a ``<script
type="application/ld+json">``) and into ``claimreview.jsonld`` in the release.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS

from azgraph.publish.sitecite import SourceRecord, fact_iri
from azgraph.publish.siteformat import format_date
from azgraph.publish.sitemodel import SiteModel
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.prefixes import BASE

PROJECT = {"@type": "Organization", "name": "azgraph", "url": BASE}


def source_records(model: SiteModel) -> dict[str, SourceRecord]:
    """A citation record for every source document, keyed by the source's IRI."""
    records = {}
    for entity in model.class_members(AZ.SourceDocument):
        d, iri = model.data, entity.iri
        seed = model.seed_of(iri)
        meta = seed.meta if seed is not None else {}
        date = d.value(iri, AZ.publicationDate)
        precision = str(meta.get("publication_date_precision") or "day")
        records[str(iri)] = SourceRecord(
            key=str(d.value(iri, DCTERMS.identifier) or entity.label),
            iri=str(iri),
            title=str(d.value(iri, DCTERMS.title) or entity.label),
            author=str(d.value(iri, DCTERMS.creator) or ""),
            publisher=str(d.value(iri, DCTERMS.publisher) or ""),
            date=format_date(date, precision) if isinstance(date, Literal) else "",
            language=str(d.value(iri, DCTERMS.language) or ""),
            licence=str(meta.get("licence") or "not stated in the capture"),
            note=str(meta.get("notes") or "").strip(),
        )
    return records


def claim_reviews(
    model: SiteModel, records: dict[str, SourceRecord], subject: URIRef | None = None
) -> list[dict[str, Any]]:
    """One ClaimReview per disputed fact and quote (of ``subject`` only, when given)."""
    reviews = []
    entities = [model.entities[subject]] if subject is not None else model.entities.values()
    for entity in entities:
        for fact in entity.facts:
            if "disputed" not in fact.statuses:
                continue
            iri = fact_iri(entity.iri, fact.prop, fact.obj)
            note = " ".join(dict.fromkeys(fact.notes)) or "Disputed by the editors."
            for quote in fact.quotes:
                rec = records.get(str(quote.source))
                reviews.append(_review(iri, entity.iri, entity.label, quote.mark, note, rec))
    return reviews


def _review(
    iri: str, about: URIRef, label: str, claim: str, note: str, rec: SourceRecord | None
) -> dict[str, Any]:
    appearance: dict[str, Any] = {"@type": "CreativeWork", "@id": rec.iri if rec else ""}
    if rec is not None:
        appearance |= {
            "name": rec.title,
            "author": {"@type": "Person", "name": rec.author},
            "publisher": {"@type": "Organization", "name": rec.publisher},
            "datePublished": rec.date,
        }
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": f"{iri}-review",
        "url": iri,
        "claimReviewed": claim,
        "itemReviewed": {
            "@type": "Claim",
            "about": {"@id": str(about), "name": label},
            "appearance": appearance,
            "author": appearance.get("author", PROJECT),
        },
        "author": PROJECT,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Disputed",
            "ratingExplanation": note,
        },
        "reviewBody": note,
    }


def reviews_json(reviews: list[dict[str, Any]], *, indent: int | None = 2) -> str:
    """The reviews as a JSON array, stable and safe inside an HTML ``<script>``."""
    text = json.dumps(reviews, ensure_ascii=False, indent=indent, sort_keys=True)
    return text.replace("</", "<\\/") + "\n"


def claimreview_dump(model: SiteModel) -> str:
    """``claimreview.jsonld`` of a release: every disputed claim's ClaimReview, in IRI order."""
    reviews = sorted(claim_reviews(model, source_records(model)), key=lambda r: str(r["@id"]))
    return reviews_json(reviews)
