"""Validation: the project's shapes, plus the ``kind: check`` queries of the check registry.

`validate_graph()` returns a `Report` and never prints; the CLI renders it (render.py) and maps
it to the exit code (0 conforms, 1 an error, or a result as severe as ``--fail-on``), as
pySHACL's own CLI does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from azgraph.check.pyshaclrun import copy_shapes, pyshacl_results
from azgraph.check.registry import query_results
from azgraph.check.report import Report as Report  # the result type of validate_graph
from azgraph.check.report import Result as Result
from azgraph.check.report import shape_name
from azgraph.check.shapegate import vet_shapes, vet_shapes_once
from azgraph.errors import AzgraphError, InputError
from azgraph.query.queries import QueryFile
from azgraph.rdf.namespaces import SH, new_graph
from azgraph.rdf.turtle import parse_turtle


def load_shapes(shapes_dir: Path) -> Graph:
    """All shapes files merged, each checked on its own (errors name the file and the shape), with
    every query they carry through the gate and unrun features refused (shapegate.py)."""
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise InputError("no shapes found", path=shapes_dir, hint="Add SHACL files (*.ttl).")
    graph = new_graph()
    parts = []
    for path in files:
        with literals_as_written():
            part = parse_turtle(path)
        parts.append((path, part))
        for triple in part:
            graph.add(triple)
    try:
        vet_shapes_once(graph)  # once, merged: validate_graph then finds it vetted
    except AzgraphError:
        for path, part in parts:  # the same refusal, naming the file it is in
            vet_shapes(part, path)
        raise
    for path, part in parts:
        _check_shapes(part, path)
    return graph


class literals_as_written:  # noqa: N801 - used as a function: `with literals_as_written():`
    """Parse with rdflib keeping each literal as written, as pySHACL parses: by default rdflib
    rewrites "1"^^xsd:boolean to "true" and "01"^^xsd:integer to "1", and SHACL tells them
    apart (sh:uniqueLang "1"^^xsd:boolean is not true; sh:maxCount counts terms)."""

    def __enter__(self) -> None:
        import rdflib

        self.saved = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False

    def __exit__(self, *exc: object) -> None:
        import rdflib

        rdflib.NORMALIZE_LITERALS = self.saved


def _shape_of(graph: Graph, node: Node) -> str:
    """The named shape that owns ``node`` (itself, or the node shape of a property shape)."""
    for parent in (node, *graph.subjects(SH.property, node)):
        if isinstance(parent, URIRef):
            return graph.namespace_manager.normalizeUri(parent)
    return "an unnamed shape"


def _check_shapes(graph: Graph, where: Path) -> None:
    """Catch malformed shapes that pySHACL would otherwise accept or crash on."""
    import re

    for key in (SH.minCount, SH.maxCount):
        for node, value in graph.subject_objects(key):
            if not str(getattr(value, "datatype", "")).endswith("integer"):
                raise InputError(
                    f"{graph.namespace_manager.normalizeUri(key)} {value.n3()} in "
                    f"{_shape_of(graph, node)} must be an xsd:integer",
                    path=where,
                    hint="Write the number without quotes, e.g. sh:minCount 1.",
                )
    for node in set(graph.subjects(SH.property, None)):
        for prop in graph.objects(node, SH.property):
            if (prop, SH.path, None) not in graph:
                raise InputError(
                    f"a property shape of {_shape_of(graph, node)} has no sh:path",
                    path=where,
                    hint="Add sh:path to it.",
                )
    for node, pattern in graph.subject_objects(SH.pattern):
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise InputError(
                f"invalid sh:pattern {str(pattern)!r} in {_shape_of(graph, node)}: {exc}",
                path=where,
                hint="Fix the regular expression.",
            ) from exc


ENGINES = ("fast", "oxigraph", "pyshacl")


def validate_graph(
    data: Graph | None,
    shapes: Graph,
    *,
    checks: list[QueryFile] | None = None,
    store: object | None = None,
    engine: str = "fast",
) -> Report:
    """Validate ``data`` (which must include the ontology, for sh:class over subclasses).

    ``engine="fast"`` runs everything on pyoxigraph: core constraints compiled to queries
    (fastshacl.py) and node-shape SPARQL constraints as whole-graph queries (sparqlshapes.py);
    each shape using a feature fastshacl does not compile is run, as a whole, by pySHACL, and
    named with why in ``Report.fallbacks``. Every query the shapes carry passes the gate first
    (shapegate.py), whoever calls this. ``engine="oxigraph"`` leaves the core constraints to
    pySHACL; ``engine="pyshacl"`` leaves everything to pySHACL. All report the same results
    (tests/check/test_fastshacl.py, tests/check/test_w3c_shacl.py). ``store`` is a pyoxigraph
    store with
    the same triples as ``data``; one is made when needed and not given. ``data`` may be None
    when ``store`` is given: it is then made only if pySHACL runs.
    """
    from azgraph.check.sparqlshapes import split_sparql_constraints

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if data is None and store is None:
        raise ValueError("give data or store")
    vet_shapes_once(shapes)  # the library's own gate: callers need not have used load_shapes
    constraints: list[Any] = []
    core = shapes
    if engine != "pyshacl":
        core, constraints = split_sparql_constraints(shapes)
    if store is None:
        assert data is not None
        store = store_from_graph(data)
    report = Report(conforms=True)
    if engine == "fast":
        rest = _run_fast(report, store, core, shapes, data)
    else:
        rest = core
    if rest is not None:
        data = data if data is not None else graph_from_store(store)
        report.results.extend(pyshacl_results(data, rest, shapes).results)
    report.results.extend(constraint_results(store, constraints, shapes))
    for query in checks or []:
        report.results.extend(query_results(store, query))
    return finish_report(report, data, store)


def _run_fast(
    report: Report, store: object, core: Graph, shapes: Graph, data: Graph | None
) -> Graph | None:
    """Add the fast engine's results; return the shapes pySHACL must run (the others
    deactivated), or None if there are none."""
    from azgraph.check.fastshacl import compile_each
    from azgraph.rdf.store import rewrite_kinds

    prefixes = data.namespaces() if data is not None else ()
    rewritten = {URIRef(p): kinds for p, kinds in rewrite_kinds(store).items()}
    compiled, fallbacks, done = compile_each(core, prefixes, rewritten)
    report.results.extend(fast_results(store, compiled, shapes))
    if not fallbacks:
        return None
    report.fallbacks = sorted(f"{shape_name(s, shapes)}: {why}" for s, why in fallbacks.items())
    rest = copy_shapes(core)
    for shape in done:
        rest.add((shape, SH.deactivated, Literal(True)))
    return rest


def finish_report(report: Report, data: Graph | None, store: object) -> Report:
    """Sort the results (so equal graphs give equal reports), set conforms, add labels."""
    report.conforms = not report.errors
    report.results.sort(
        key=lambda r: (str(r.focus), r.source, r.message, str(r.value), str(r.path), r.severity)
    )
    add_labels(report, data, store)
    return report


def constraint_results(store: object, constraints: list[Any], shapes: Graph) -> list[Result]:
    """The violations of node-shape SHACL-SPARQL constraints (sparqlshapes.py)."""
    from azgraph.check.sparqlshapes import format_message, run_constraints

    return [
        Result(
            severity=constraint.severity,
            focus=row["this"],
            message=format_message(constraint.message, row),
            path=row.get("path"),
            # SHACL-SPARQL: without a ?value binding, the value is the focus node (as pySHACL)
            value=row.get("value", row["this"]),
            source=shape_name(constraint.shape, shapes),
            shape=constraint.shape,
            component=str(SH.SPARQLConstraintComponent),
        )
        for constraint, row in (run_constraints(store, constraints) if constraints else [])
    ]


def fast_results(store: object, compiled: list, shapes: Graph) -> list[Result]:  # type: ignore[type-arg]
    from azgraph.check.fastshacl import run_checks

    return [
        Result(
            severity=check.severity,
            focus=focus,
            message=message,
            path=check.path,
            value=value,
            source=shape_name(check.shape, shapes),
            shape=check.shape,
            component=str(SH[check.component + "ConstraintComponent"]),
        )
        for check, focus, value, message in run_checks(store, compiled)
    ]


def add_labels(report: Report, data: Graph | None, store: object) -> None:
    """Each focus node's rdfs:label (English first) for the grouped report."""
    if data is not None:
        for result in report.results:
            label = data.value(result.focus, RDFS.label)
            if label is not None:
                report.labels[result.focus] = str(label)
        return
    import pyoxigraph as ox

    from azgraph.rdf.store import to_oxigraph

    label_iri = ox.NamedNode(str(RDFS.label))
    for focus in {r.focus for r in report.results}:
        found = [
            q.object
            for q in store.quads_for_pattern(to_oxigraph(focus), label_iri, None)  # type: ignore[attr-defined]
            if isinstance(q.object, ox.Literal)
        ]
        if found:
            best = min(found, key=lambda t: (t.language != "en", t.language or "", t.value))
            report.labels[focus] = best.value


def store_from_graph(graph: Graph) -> object:
    """A pyoxigraph store holding the same triples as an rdflib graph."""
    import pyoxigraph as ox

    from azgraph.rdf.store import note_rewritten

    store = ox.Store()
    quads = list(
        ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    )
    store.bulk_extend(quads)
    note_rewritten(store, quads, None)
    return store


def graph_from_store(store: object) -> Graph:
    """An rdflib graph holding the same triples as a pyoxigraph store (for pySHACL): read
    again from its files if the store rewrote some of their literals (store.py)."""
    import pyoxigraph as ox

    from azgraph.rdf.store import load_rdflib, original_files

    files = original_files(store)
    if files:
        with literals_as_written():
            return load_rdflib(list(files))

    data = new_graph()
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())  # type: ignore[attr-defined]
    data.parse(data=nt, format="nt")
    return data
