"""Shapes run by pySHACL: those the fast engine cannot compile, and the oracle the tests
compare it with.

SHACL Advanced Features and owl:imports stay off: the shape gate (shapegate.py) has refused
what azgraph does not run, and nothing is fetched.
"""

from __future__ import annotations

import logging
from typing import cast

from rdflib import Graph, Literal
from rdflib.term import Node

from azgraph.check.report import Report, Result, shape_name
from azgraph.errors import InputError
from azgraph.rdf.namespaces import SH
from azgraph.severity import from_shacl


def copy_shapes(shapes: Graph) -> Graph:
    """A copy of ``shapes`` with its prefixes and no others, to change without touching it."""
    copy = Graph(bind_namespaces="none")
    for prefix, ns in shapes.namespaces():
        copy.bind(prefix, ns)
    for triple in shapes:
        copy.add(triple)
    return copy


def only_true_is_true(core: Graph) -> Graph:
    """``core`` without sh: parameters set to a boolean other than "true" or "false": SHACL
    activates sh:closed, sh:uniqueLang, sh:deactivated, ... only for true, and pySHACL reads a
    parsed "1"^^xsd:boolean as true (a copy only when there is one)."""
    from rdflib.namespace import XSD

    odd = [
        (s, p, o)
        for s, p, o in core
        if isinstance(o, Literal)
        and o.datatype == XSD.boolean
        and str(o) not in ("true", "false")
        and str(p).startswith(str(SH))
    ]
    if not odd:
        return core
    kept = copy_shapes(core)
    for triple in odd:
        kept.remove(triple)
    return kept


def pyshacl_results(data: Graph, core: Graph, shapes: Graph) -> Report:
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError

    core = only_true_is_true(core)
    quiet = logging.getLogger("pyshacl-validate")  # it logs each error before raising it
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        conforms, results_graph, text = validate(
            data,
            shacl_graph=core,
            inference="none",
            advanced=False,  # rules, functions and custom targets: refused by vet_shapes anyway
            do_owl_imports=False,
            allow_warnings=True,
        )
    except ReportableRuntimeError as exc:  # a malformed or endlessly recursive shape
        first = str(exc.args[0] if exc.args else exc).strip().splitlines()
        raise InputError(
            f"the shapes cannot be used: {first[0] if first else type(exc).__name__}",
            hint="Fix the shape named in the message (see shapes/).",
        ) from exc
    finally:
        quiet.setLevel(level)
    if not isinstance(results_graph, Graph):  # pySHACL's ValidationFailure: a broken shape
        raise InputError(
            f"the shapes cannot be used: {str(text).strip()}",
            hint="Fix the shape named in the message (see shapes/).",
        )
    report = Report(conforms=bool(conforms))
    # top-level results only: those under sh:detail (sh:node, ...) explain one of them
    for res in results_graph.objects(None, SH.result):
        message = results_graph.value(res, SH.resultMessage) or results_graph.value(
            res, SH.sourceConstraintComponent
        )
        report.results.append(
            Result(
                severity=from_shacl(results_graph.value(res, SH.resultSeverity)),
                focus=cast(Node, results_graph.value(res, SH.focusNode)),
                message=str(message),
                path=results_graph.value(res, SH.resultPath),
                value=results_graph.value(res, SH.value),
                source=shape_name(results_graph.value(res, SH.sourceShape), shapes),
                shape=results_graph.value(res, SH.sourceShape),
                component=str(results_graph.value(res, SH.sourceConstraintComponent)),
            )
        )
    return report
