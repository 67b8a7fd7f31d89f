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
    ontology: Graph | None = None,
    checks: list[QueryFile] | None = None,
    store: object | None = None,
) -> Report:
    """SHACL-validate ``data`` (which should include the ontology for class hierarchy checks)."""
    from pyshacl import validate

    conforms, results_graph, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(results_graph, Graph):  # pySHACL's ValidationFailure: a broken shape
        raise InputError(
            f"the shapes cannot be used: {_text.strip()}",
            hint="Fix the shape named in the message (see shapes/).",
        )
    report = Report(conforms=bool(conforms))
    for res in results_graph.subjects(SH.resultSeverity, None):
        severity = str(results_graph.value(res, SH.resultSeverity)).rsplit("#", 1)[-1].lower()
        severity = {"violation": "error"}.get(severity, severity)
        shape = results_graph.value(res, SH.sourceShape)
        focus = results_graph.value(res, SH.focusNode)
        message = results_graph.value(res, SH.resultMessage)
        report.results.append(
            Result(
                severity=severity,
                focus=focus,
                message=str(message)
                if message
                else str(results_graph.value(res, SH.sourceConstraintComponent)),
                path=results_graph.value(res, SH.resultPath),
                value=results_graph.value(res, SH.value),
                source=_shape_name(shape, shapes),
            )
        )
    for query in checks or []:
        if store is None:
            break
        vet_query(query.text, query.path or query.name)
        result = run_local(store, query, {})
        for row in result.rows:
            values = dict(zip(result.variables, row, strict=True))
            focus = values.get("focus")
            if focus is None:
                raise InputError(
                    f"check query '{query.name}' returned a row without ?focus",
                    path=query.path,
                    hint="Project ?focus ?message (and ?value).",
                )
            report.results.append(
                Result(
                    severity=query.severity or "error",
                    focus=focus,
                    message=str(values.get("message") or query.title),
                    value=values.get("value"),
                    source=f"check:{query.name}",
                )
            )
    report.conforms = not report.errors
    report.results.sort(key=lambda r: (str(r.focus), r.source, r.message, str(r.value)))
    for result in report.results:
        label = data.value(result.focus, RDFS.label)
        if label is not None:
            report.labels[result.focus] = str(label)
    return report


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
