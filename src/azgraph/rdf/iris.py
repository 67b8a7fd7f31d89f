"""Slugs and IRI minting: one place decides what an azgraph IRI looks like."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

from azgraph.rdf.namespaces import INSTANCE_NS

# NFKD leaves these whole, so plain ASCII folding would drop them: map them first.
_PRE_FOLD = str.maketrans({"ı": "i", "ə": "a", "Ə": "a", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l"})


def slugify(text: str) -> str:
    """Lowercase ASCII kebab-case: 'Baku–Tbilisi–Ceyhan' -> 'baku-tbilisi-ceyhan'.

    Idempotent (a slug slugifies to itself); returns '' only for text with no letters or digits.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_PRE_FOLD))
    kept = "".join(
        ch if ch.isascii() else "-" for ch in folded if not unicodedata.combining(ch)
    ).lower()
    return re.sub(r"[^a-z0-9]+", "-", kept).strip("-")


# A build mints each id hundreds of times, and rdflib checks the IRI each time (5 µs).
@lru_cache(maxsize=1 << 16)
def mint(curie: str) -> URIRef:
    """The IRI of an instance written as ``kind:slug`` (already checked by curated.py)."""
    kind, slug = curie.split(":", 1)
    return INSTANCE_NS[kind][slug]


def curie_of(iri: str) -> str | None:
    """The ``kind:slug`` form of an instance IRI, or None for IRIs outside the instance space."""
    for kind, ns in INSTANCE_NS.items():
        if iri.startswith(str(ns)):
            return f"{kind}:{iri[len(str(ns)) :]}"
    return None
