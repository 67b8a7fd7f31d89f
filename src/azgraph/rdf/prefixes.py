"""The project's prefix map as plain strings, importable without rdflib.

`namespaces.py` builds its rdflib namespaces from these; the query path (`azgraph query run`)
uses them directly, so a cold query never pays for importing rdflib.
"""

from __future__ import annotations

BASE = "https://w3id.org/azgraph/"

# One instance namespace per kind of thing: a Turtle local name cannot hold an unescaped "/".
INSTANCE_KINDS = (
    "agreement",
    "conflict",
    "event",
    "evidence",
    "idea",
    "infrastructure",
    "office",
    "org",
    "person",
    "pipeline",
    "place",
    "source",
    "state",
    "statistic",
    "supply",
    "tenure",
    "work",
)

PREFIXES: dict[str, str] = {
    "az": f"{BASE}ontology#",
    "azsh": f"{BASE}shapes#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{kind: f"{BASE}id/{kind}/" for kind in INSTANCE_KINDS},
}

# The vocabularies the release's VoID/DCAT description uses beyond the project's own; every
# dump declares them where used.
VOID_PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "void": "http://rdfs.org/ns/void#",
    "d": f"{BASE}void#",
}

_BY_LENGTH = sorted(((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda p: -len(p[0]))


def short_iri(text: str) -> str:
    """A prefixed name for an IRI in a project namespace, else the IRI itself."""
    for iri, prefix in _BY_LENGTH:
        local = text[len(iri) :]
        if text.startswith(iri) and "/" not in local and "#" not in local:
            return f"{prefix}:{local}"
    return text
