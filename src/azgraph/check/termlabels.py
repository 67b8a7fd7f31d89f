"""Labels shared across kinds of term: a class and a property, a property and an individual.

Why: `lint/duplicate-label.rq` compares labels within one kind, because a class and a property
were once allowed to share a name (az:Office, az:office). Protégé, pyLODE and the site show
the label instead of the IRI, so "office" for both a class and a property reads as one term;
this check reports such pairs in any language.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from azgraph.check.lookalike import labels
from azgraph.rdf.namespaces import short

OWL = "http://www.w3.org/2002/07/owl#"
KINDS = {
    f"{OWL}Class": "class",
    f"{OWL}ObjectProperty": "object property",
    f"{OWL}DatatypeProperty": "data property",
    f"{OWL}AnnotationProperty": "annotation property",
    f"{OWL}NamedIndividual": "individual",
}
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def cross_kind_labels(store: Any, _shapes: Graph | None = None) -> list[tuple[Node, str]]:
    """(focus, message) for each term whose label, in some language, is also the label of a
    term of another kind (check ``cross-kind-label``; same-kind duplicates are
    `lint/duplicate-label.rq`'s)."""
    import pyoxigraph as ox

    kinds: dict[str, set[str]] = {}
    for iri, kind in KINDS.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(TYPE), ox.NamedNode(iri)):
            if isinstance(quad.subject, ox.NamedNode):
                kinds.setdefault(quad.subject.value, set()).add(kind)
    owners: dict[tuple[str, str], set[str]] = {}
    for focus, text, lang in labels(store):
        if str(focus) in kinds:
            owners.setdefault((text, lang), set()).add(str(focus))
    findings: list[tuple[Node, str]] = []
    for (text, lang), terms in sorted(owners.items()):
        for term in sorted(terms):
            others = sorted(
                f"{short(URIRef(o))} ({'/'.join(sorted(kinds[o]))})"
                for o in terms
                if o != term and not kinds[o] & kinds[term]
            )
            if others:
                where = f"@{lang}" if lang else ""
                findings.append(
                    (
                        URIRef(term),
                        f"the {'/'.join(sorted(kinds[term]))}'s label {text!r}{where} is also "
                        f"that of {', '.join(others)}; make the labels distinct",
                    )
                )
    return findings
