"""Citations: a stable IRI for every statement, and BibTeX and CSL-JSON for every source.

The statement IRI is a pattern over the triple, documented in docs/model.md ("Citing a
statement"), so anyone can compute it from the data without the site:
``<subject IRI>#<prefix>-<local name>-<first 8 hex digits of SHA-256 of the object's N-Triples
term>``. The site gives each statement that ``id``, so the IRI resolves to the statement on its
entity page.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from azgraph.rdf.namespaces import short


def fact_fragment(prop: URIRef, obj: Node) -> str:
    """The fragment of a statement's IRI: ``az-lengthKm-1a2b3c4d``."""
    digest = hashlib.sha256(obj.n3().encode("utf-8")).hexdigest()[:8]
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", short(prop)).strip("-")
    return f"{name}-{digest}"


def fact_iri(subject: URIRef, prop: URIRef, obj: Node) -> str:
    return f"{subject}#{fact_fragment(prop, obj)}"


@dataclass(frozen=True)
class SourceRecord:
    """What a citation of a source document needs, from the graph and ``seeds/<id>.yaml``."""

    key: str  # the seed id: cemeri-2022
    iri: str
    title: str
    author: str
    publisher: str
    date: str  # ISO at its precision: 2022-09-12, 2021
    language: str
    licence: str
    note: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]

    def family_given(self) -> tuple[str, str]:
        parts = self.author.rsplit(" ", 1)
        return (parts[-1], parts[0]) if len(parts) == 2 else (self.author, "")


def bibtex(rec: SourceRecord) -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``date`` at its precision)."""
    family, given = rec.family_given()
    fields = [
        ("author", f"{family}, {given}" if given else family),
        ("title", rec.title),
        ("publisher", rec.publisher),
        ("year", rec.year),
        ("date", rec.date),
        ("language", rec.language),
        ("howpublished", "Web article"),
        ("note", f"Cited through azgraph as {rec.iri}"),
    ]
    body = "".join(f"  {name} = {{{_bib_escape(value)}}},\n" for name, value in fields if value)
    return f"@misc{{{_bib_key(rec)},\n{body}}}\n"


def _bib_key(rec: SourceRecord) -> str:
    family = unicodedata.normalize("NFKD", rec.family_given()[0])
    ascii_family = re.sub(r"[^a-z]", "", family.encode("ascii", "ignore").decode().lower())
    return f"{ascii_family or 'source'}{rec.year}"


def _bib_escape(text: str) -> str:
    text = text.replace("\\", "\\textbackslash{}")
    for ch in "&%$#_{}":
        text = text.replace(ch, "\\" + ch)
    return text


def csl_json(rec: SourceRecord) -> str:
    """A CSL-JSON item list (what Zotero, pandoc and citeproc read)."""
    family, given = rec.family_given()
    parts = [int(p) for p in rec.date.split("-")]
    item = {
        "id": rec.key,
        "type": "article",
        "title": rec.title,
        "author": [{"family": family, "given": given}],
        "publisher": rec.publisher,
        "issued": {"date-parts": [parts]},
        "language": rec.language,
        "note": f"Cited through azgraph as {rec.iri}",
    }
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cite_statement(rec: SourceRecord, quote: str, line: int, iri: str) -> str:
    """One line a writer can paste: the source, the quote, the line, the statement's IRI."""
    family, given = rec.family_given()
    initial = f", {given[0]}." if given else ""
    return (
        f"{family}{initial} ({rec.year}). {rec.title}. {rec.publisher}, line {line}: "
        f"“{quote}” Statement {iri}"
    )
