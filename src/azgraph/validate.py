"""Validation: pySHACL with the project's shapes, plus every ``kind: check`` query.

`validate_graph()` returns a `Report` and never prints; the CLI renders it and maps it to the
exit code (0 conforms, 1 violations), as pySHACL's own CLI does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from .errors import InputError
from .namespaces import SH, new_graph
from .queries import QueryFile, run_local, vet_query
from .turtle import parse_turtle


@dataclass(frozen=True)
class Result:
    """One problem: where (focus node, path, value), what, and which shape or check found it."""

    severity: str  # "error", "warning" or "info"
    focus: Node
    message: str
    path: Node | None = None
    value: Node | None = None
    source: str = ""


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    labels: dict[Node, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Result]:
        return [r for r in self.results if r.severity == "error"]


def load_shapes(shapes_dir: Path) -> Graph:
    """All shapes files merged, with every SHACL-SPARQL constraint vetted for network access."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise InputError("no shapes found", path=shapes_dir, hint="Add SHACL files (*.ttl).")
    graph = new_graph()
    for path in files:
        before = set(graph.subjects(SH.select, None))
        parse_turtle(path, graph)
        for node in set(graph.subjects(SH.select, None)) - before:
            for text in graph.objects(node, SH.select):
                vet_query(str(text), f"{path} (SHACL-SPARQL constraint)")
    _check_shapes(graph, shapes_dir)
    return graph


def _check_shapes(graph: Graph, where: Path) -> None:
    """Catch malformed shapes that pySHACL would otherwise accept or crash on."""
    for node, value in graph.subject_objects(SH.minCount):
        if not (
            hasattr(value, "datatype") and str(getattr(value, "datatype", "")).endswith("integer")
        ):
            raise InputError(
                f"sh:minCount {value.n3()} must be an xsd:integer",
                path=where,
                hint=f"Fix the shape {node.n3()}.",
            )
    for node, value in graph.subject_objects(SH.maxCount):
        if not str(getattr(value, "datatype", "")).endswith("integer"):
            raise InputError(
                f"sh:maxCount {value.n3()} must be an xsd:integer",
                path=where,
                hint=f"Fix the shape {node.n3()}.",
            )
    for node in set(graph.subjects(SH.property, None)):
        for prop in graph.objects(node, SH.property):
            if (prop, SH.path, None) not in graph:
                raise InputError(
                    "a property shape has no sh:path",
                    path=where,
                    hint=f"Add sh:path to the property shape of {node.n3()}.",
                )
    import re

    for node, pattern in graph.subject_objects(SH.pattern):
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise InputError(
                f"invalid sh:pattern {str(pattern)!r}: {exc}",
                path=where,
                hint=f"Fix the regular expression in {node.n3()}.",
            ) from exc


def validate_graph(
    data: Graph,
    shapes: Graph,
    *,
    checks: list[QueryFile] | None = None,
    store: object | None = None,
    engine: str = "oxigraph",
) -> Report:
    """Validate ``data`` (which must include the ontology, for sh:class over subclasses).

    ``engine="oxigraph"`` runs node-shape SPARQL constraints as whole-graph pyoxigraph queries
    (see sparqlshapes.py) and the core constraints with pySHACL; ``engine="pyshacl"`` leaves
    everything to pySHACL. Both report the same results. ``store`` is a pyoxigraph store with
    the same triples as ``data``; one is made when needed and not given.
    """
    from pyshacl import validate

    from .sparqlshapes import format_message, run_constraints, split_sparql_constraints

    if engine not in ("oxigraph", "pyshacl"):
        raise ValueError(f"unknown engine {engine!r}")
    constraints = []
    core = shapes
    if engine == "oxigraph":
        core, constraints = split_sparql_constraints(shapes)
    if (constraints or checks) and store is None:
        store = store_from_graph(data)
    conforms, results_graph, text = validate(
        data,
        shacl_graph=core,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(results_graph, Graph):  # pySHACL's ValidationFailure: a broken shape
        raise InputError(
            f"the shapes cannot be used: {str(text).strip()}",
            hint="Fix the shape named in the message (see shapes/).",
        )
    report = Report(conforms=bool(conforms))
    for res in results_graph.subjects(SH.resultSeverity, None):
        severity = str(results_graph.value(res, SH.resultSeverity)).rsplit("#", 1)[-1].lower()
        message = results_graph.value(res, SH.resultMessage) or results_graph.value(
            res, SH.sourceConstraintComponent
        )
        report.results.append(
            Result(
                severity={"violation": "error"}.get(severity, severity),
                focus=results_graph.value(res, SH.focusNode),
                message=str(message),
                path=results_graph.value(res, SH.resultPath),
                value=results_graph.value(res, SH.value),
                source=_shape_name(results_graph.value(res, SH.sourceShape), shapes),
            )
        )
    for constraint, row in run_constraints(store, constraints) if constraints else []:
        report.results.append(
            Result(
                severity=constraint.severity,
                focus=row["this"],
                message=format_message(constraint.message, row),
                path=row.get("path"),
                value=row.get("value"),
                source=_shape_name(constraint.shape, shapes),
            )
        )
    for query in checks or []:
        report.results.extend(_check_results(store, query))
    report.conforms = not report.errors
    report.results.sort(key=lambda r: (str(r.focus), r.source, r.message, str(r.value)))
    for result in report.results:
        label = data.value(result.focus, RDFS.label)
        if label is not None:
            report.labels[result.focus] = str(label)
    return report


def _check_results(store: object, query: QueryFile) -> list[Result]:
    result = run_local(store, query, {})
    found = []
    for row in result.rows:
        values = dict(zip(result.variables, row, strict=True))
        focus = values.get("focus")
        if focus is None:
            raise InputError(
                f"check query '{query.name}' returned a row without ?focus",
                path=query.path,
                hint="Project ?focus ?message (and ?value).",
            )
        found.append(
            Result(
                severity=query.severity or "error",
                focus=focus,
                message=str(values.get("message") or query.title),
                value=values.get("value"),
                source=f"check:{query.name}",
            )
        )
    return found


def store_from_graph(graph: Graph) -> object:
    """A pyoxigraph store holding the same triples as an rdflib graph."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _shape_name(shape: Node | None, shapes: Graph) -> str:
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
