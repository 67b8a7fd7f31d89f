"""Lint for the shapes themselves: mistakes that pySHACL accepts silently.

A shape whose targets match no node validates nothing and so always "conforms"; a misspelt
``sh:`` term (``sh:minCout``) is ignored as an unknown triple. Both are reported as warnings by
`azgraph lint`. The SHACL vocabulary is read from the copy pySHACL ships, not typed here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from azgraph.check.sparqlshapes import target_pattern
from azgraph.rdf.namespaces import SH, short


@cache
def shacl_terms() -> frozenset[URIRef]:
    """Every term the SHACL vocabulary defines (from pySHACL's bundled shacl.ttl)."""
    vocabulary = Graph()
    with resources.as_file(resources.files("pyshacl") / "assets" / "shacl.ttl") as path:
        vocabulary.parse(path, format="turtle")
    return frozenset(s for s in vocabulary.subjects() if isinstance(s, URIRef))


def lint_shapes(shapes: Graph, store: Any) -> list[tuple[str, str, str]]:
    """(check, focus, message) for unknown sh: terms and node shapes that target nothing."""
    findings: list[tuple[str, str, str]] = []
    known = shacl_terms()
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef)}
    for term in sorted(used):
        if str(term).startswith(str(SH)) and term not in known:
            findings.append(
                (
                    "shape-unknown-term",
                    short(term),
                    "is not a SHACL term: a misspelling is silently ignored",
                )
            )
    for shape in sorted(
        s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
    ):
        targets = target_pattern(shapes, shape)
        if not targets:
            continue  # a shape used only through sh:node or sh:property has no targets
        if not bool(store.query(f"ASK {{ {targets} }}")):
            findings.append(
                (
                    "shape-targets-nothing",
                    short(shape),
                    "targets no node in the graph, so it can never report a problem",
                )
            )
    return findings
