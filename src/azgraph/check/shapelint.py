"""Lint for the shapes themselves: mistakes that pySHACL accepts silently.

A shape whose targets match no node validates nothing and so always "conforms"; a misspelt
``sh:`` term (``sh:minCout``) is ignored as an unknown triple. Both are checks of `azgraph lint`
(registry.py gives their severity). The SHACL vocabulary is read from the copy pySHACL ships,
not typed here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from azgraph.check.sparqlshapes import target_pattern
from azgraph.rdf.namespaces import SH


@cache
def shacl_terms() -> frozenset[URIRef]:
    """Every term the SHACL vocabulary defines (from pySHACL's bundled shacl.ttl)."""
    vocabulary = Graph()
    with resources.as_file(resources.files("pyshacl") / "assets" / "shacl.ttl") as path:
        vocabulary.parse(path, format="turtle")
    return frozenset(s for s in vocabulary.subjects() if isinstance(s, URIRef))


def unknown_terms(_store: Any, shapes: Graph | None) -> list[tuple[Node, str]]:
    """(focus, message) for sh: terms the SHACL vocabulary does not define
    (check ``shape-unknown-term``)."""
    known = shacl_terms()
    used = {t for triple in shapes or () for t in triple if isinstance(t, URIRef)}
    return [
        (term, "is not a SHACL term: a misspelling is silently ignored")
        for term in sorted(used)
        if str(term).startswith(str(SH)) and term not in known
    ]


def targets_nothing(store: Any, shapes: Graph | None) -> list[tuple[Node, str]]:
    """(focus, message) for node shapes whose targets match no node
    (check ``shape-targets-nothing``)."""
    if shapes is None:
        return []
    findings: list[tuple[Node, str]] = []
    for shape in sorted(
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    ):
        targets = target_pattern(shapes, shape)
        if not targets:
            continue  # a shape used only through sh:node or sh:property has no targets
        if not bool(store.query(f"ASK {{ {targets} }}")):
            findings.append(
                (shape, "targets no node in the graph, so it can never report a problem")
            )
    return findings
