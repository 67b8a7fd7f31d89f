"""What a check run found: the `Report` that `validate` and `lint` both return and render.

Kept apart from validate.py so that the engines (the fast one, pySHACL, the check queries, the
checks written in Python) and the renderers share one model without importing each other. Every
severity here is a word of the one vocabulary in `azgraph.severity`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from azgraph.rdf.namespaces import SH
from azgraph.severity import SEVERITIES, at_least, rank

if TYPE_CHECKING:
    from azgraph.query.queries import QueryFile

# A check written in Python: (store, shapes or None) -> [(focus, message)], in a stable order.
CheckFunction = Callable[[Any, Graph | None], list[tuple[Node, str]]]


@dataclass(frozen=True)
class Check:
    """One entry of the check registry (registry.py): what it is called, how bad a finding is,
    what it looks for, and what runs: a ``kind: check`` SPARQL file or a Python function."""

    id: str
    severity: str  # a word of azgraph.severity.SEVERITIES
    title: str
    description: str
    runs: str  # for people: the .rq file, or the Python function
    query: QueryFile | None = None
    function: CheckFunction | None = None
    needs_shapes: bool = False  # runs only where the project has shapes/


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
    checks: list[Check] = field(default_factory=list)  # the registry checks that ran

    def at(self, severity: str) -> list[Result]:
        return [r for r in self.results if r.severity == severity]

    @property
    def errors(self) -> list[Result]:
        """The results that make the report non-conforming: errors, and results of a custom
        SHACL severity (severity.py)."""
        return [r for r in self.results if rank(r.severity) == 0]

    def counts(self) -> dict[str, int]:
        """Results per severity: error, warning and info, then any custom SHACL severity."""
        custom = sorted({r.severity for r in self.results} - set(SEVERITIES))
        return {s: len(self.at(s)) for s in (*SEVERITIES, *custom)}

    def fails(self, threshold: str | None = "error") -> bool:
        """Whether a result is as severe as ``threshold`` (the CLI's ``--fail-on``): exit 1.
        None: never (``--fail-on none``)."""
        return any(at_least(r.severity, threshold) for r in self.results)


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
