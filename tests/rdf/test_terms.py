"""rdf/terms.py is the one place where rdflib's and pyoxigraph's terms meet and are told apart."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.term import Node

from azgraph.query.queries import QueryResult
from azgraph.query.render import FORMATS, render_result, render_rows
from azgraph.rdf.terms import as_rdflib, term_parts, to_rdflib

SRC = Path(__file__).resolve().parents[2] / "src" / "azgraph"
AZ = "https://w3id.org/azgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
    ox.NamedNode("https://w3id.org/azgraph/id/state/azerbaijan"),
    ox.NamedNode("http://example.org/not-a-project-prefix"),
    ox.BlankNode("b0"),
    ox.Literal("Bakı", language="az"),
    ox.Literal("1768", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal('plain, with "quotes"\tand a tab'),
]


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    found = to_rdflib(term)
    assert found is not None
    return found


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_both_models_give_the_same_parts(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    assert term_parts(_rdflib(term)) == term_parts(term)
    assert as_rdflib(term) == as_rdflib(_rdflib(term)) == _rdflib(term)


def test_a_term_of_neither_model_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="unsupported term 'Baku'"):
        term_parts("Baku")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_of_either_model_render_alike(fmt: str) -> None:
    variables = [f"v{i}" for i in range(len(TERMS))] + ["unbound"]
    oxigraph_row = [*TERMS, None]
    rdflib_row = [*map(_rdflib, TERMS), None]
    assert render_rows(variables, [rdflib_row], fmt) == render_rows(variables, [oxigraph_row], fmt)


def test_construct_triples_of_either_model_render_alike() -> None:
    subject, label = (
        ox.NamedNode(AZ + "x"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    )
    triples = [(subject, label, term) for term in TERMS if isinstance(term, ox.Literal)]
    mixed = tuple((s, _rdflib(p), o) for s, p, o in triples)
    native = tuple((_rdflib(s), _rdflib(p), _rdflib(o)) for s, p, o in triples)
    turtle = render_result(QueryResult("construct", triples=native), "table")
    assert render_result(QueryResult("construct", triples=mixed), "table") == turtle  # type: ignore[arg-type]
    assert '"Bakı"@az' in turtle


def test_no_other_module_tells_the_models_apart_by_module_name() -> None:
    by_name = re.compile(r"__module__\s*[!=]=|\.startswith\(\s*[\"'](pyoxigraph|rdflib)")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if by_name.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
