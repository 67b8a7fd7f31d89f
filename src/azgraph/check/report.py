"""What a validation found: the `Report` every engine path returns and the CLI renders.

Kept apart from validate.py so that the engines (the fast one, pySHACL, the check queries) and
the renderers share one model without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from azgraph.rdf.namespaces import SH


@dataclass(frozen=True)
class Result:
    """One problem: where (focus node, path, value), what, and which shape or check found it."""

    severity: str  # "error", "warning" or "info"
    focus: Node
    message: str
    path: Node | None = None
    value: Node | None = None
    source: str = ""
    # what the W3C report calls sh:sourceShape and sh:sourceConstraintComponent (not rendered)
    shape: Node | None = field(default=None, compare=False)
    component: str = field(default="", compare=False)


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    labels: dict[Node, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)  # "shape: why", run by pySHACL

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.severity == "error"]


def shape_name(shape: Node | None, shapes: Graph) -> str:
    if shape is None:
        return "shacl"
    if isinstance(shape, URIRef):
        return shapes.namespace_manager.normalizeUri(shape)
    for parent in shapes.subjects(SH.property, shape):
        if isinstance(parent, URIRef):
            return shapes.namespace_manager.normalizeUri(parent)
    for parent in shapes.subjects(SH.sparql, shape):
        if isinstance(parent, URIRef):
            return shapes.namespace_manager.normalizeUri(parent)
    return "shacl"
