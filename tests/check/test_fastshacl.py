"""The validation engines agree: core SHACL on pyoxigraph (fast) and pySHACL find the same results.

Run on every shape fixture in tests/shapes/ (valid and invalid), on small fixtures of our own
for each compiled constraint component, and on the real graph.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal

from azgraph.check.fastshacl import compile_shapes
from azgraph.check.sparqlshapes import split_sparql_constraints
from azgraph.check.validate import Report, load_shapes, store_from_graph, validate_graph
from azgraph.project import Project
from azgraph.rdf.namespaces import new_graph
from azgraph.rdf.store import graph_files, load_rdflib
from azgraph.rdf.turtle import parse_turtle

ROOT = Path(__file__).resolve().parents[2]
SHAPES = load_shapes(ROOT / "shapes")
FIXTURES = sorted((Path(__file__).parents[1] / "shapes").glob("*/*.ttl"))

OWN = """
@prefix ex: <https://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:kind ; sh:in ( "a" "b" ) ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:code ; sh:pattern "^[A-Z]+$" ; sh:minLength 2 ; sh:maxLength 4 ] ;
  sh:property [ sh:path ex:size ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:maxExclusive 10 ] ;
  sh:property [ sh:path ex:label ; sh:datatype rdf:langString ; sh:uniqueLang true ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:part ; sh:class ex:Thing ; sh:disjoint ex:other ] ;
  sh:property [ sh:path ex:place ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ;
                sh:severity sh:Warning ; sh:message "place is an A or a B" ] ;
  sh:or ( [ sh:path ex:kind ; sh:minCount 1 ] [ sh:path ex:size ; sh:minCount 1 ] ) .
"""
OWN_DATA = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Sub rdfs:subClassOf ex:Thing .
ex:good a ex:Thing ; ex:kind "a" ; ex:code "ABC" ; ex:size 3 ; ex:label "x"@en, "y"@tr ;
  ex:part ex:sub ; ex:place ex:a .
ex:sub a ex:Sub ; ex:label "s"@en ; ex:size 1 .
ex:a a ex:A .
ex:bad a ex:Thing ; ex:kind "c", "a" ; ex:code "abc", "A", "ABCDEF", _:b ; ex:size 0, 10, "x",
  "1.5"^^xsd:integer, "5"^^xsd:decimal ; ex:label "x"@en, "z"@EN, "plain" ;
  ex:part ex:a, "lit", ex:sub ; ex:other ex:sub ; ex:place ex:sub, "p" .
ex:none a ex:Thing ; ex:label "n"@en .
"""


def _key(report: Report) -> list[tuple[str, ...]]:
    """Results as comparable tuples; blank nodes (their labels differ per parse) as '_:'."""

    def show(term: object) -> str:
        # pyoxigraph stores numbers by value: "0.0"^^xsd:decimal comes back as "0"
        if isinstance(term, Literal) and isinstance(term.value, int | float | Decimal):
            return f"{term.datatype}:{float(term.value)!r}"
        return "_:" if isinstance(term, BNode) else str(term)

    return sorted(
        (r.severity, show(r.focus), show(r.path), show(r.value), r.source, r.message)
        for r in report.results
    )


def _both(data: Graph, shapes: Graph) -> tuple[Report, Report]:
    """Core constraints by fastshacl vs by pySHACL; SPARQL constraints run alike in both
    (sparqlshapes.py, whose messages print IRIs as prefixed names, unlike pySHACL's)."""
    fast = validate_graph(data, shapes, store=store_from_graph(data), engine="fast")
    slow = validate_graph(data, shapes, engine="oxigraph")
    return fast, slow


def test_the_project_shapes_compile_to_the_fast_engine() -> None:
    core, _ = split_sparql_constraints(SHAPES)
    assert compile_shapes(core) is not None


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_pyshacl_engines_agree_on_shape_fixtures(fixture: Path) -> None:
    data = parse_turtle(ROOT / "ontology" / "azgraph.ttl")
    parse_turtle(fixture, data)
    fast, slow = _both(data, SHAPES)
    assert _key(fast) == _key(slow)
    assert fast.conforms == slow.conforms


def test_fast_and_pyshacl_engines_agree_on_every_compiled_component() -> None:
    shapes = new_graph().parse(data=OWN, format="turtle")
    data = new_graph().parse(data=OWN_DATA, format="turtle")
    fast, slow = _both(data, shapes)
    assert len(slow.results) >= 15  # the fixture does exercise the components
    assert _key(fast) == _key(slow)


def test_unsupported_shapes_fall_back_to_pyshacl_with_the_same_results() -> None:
    shapes = new_graph().parse(
        data=OWN.replace("sh:disjoint ex:other", "sh:node ex:ThingShape"), format="turtle"
    )
    assert compile_shapes(shapes) is None
    data = new_graph().parse(data=OWN_DATA, format="turtle")
    fast = validate_graph(data, shapes, store=store_from_graph(data), engine="fast")
    assert _key(fast) == _key(validate_graph(data, shapes, engine="pyshacl"))


def test_fast_and_pyshacl_engines_agree_on_the_real_graph() -> None:
    files = graph_files(Project.at(ROOT))
    data = load_rdflib(files)
    fast, slow = _both(data, SHAPES)
    assert _key(fast) == _key(slow)


def _sparql_shape_fixtures() -> list[Path]:
    from azgraph.rdf.namespaces import short

    _, constraints = split_sparql_constraints(SHAPES)
    names = {short(c.shape).removeprefix("azsh:") for c in constraints}
    return [p for p in FIXTURES if p.parent.name in names and p.name.startswith("invalid")]


def _key_without_message(report: Report) -> list[tuple[str, ...]]:
    return [row[:-1] for row in _key(report)]


@pytest.mark.parametrize(
    "fixture", _sparql_shape_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_sparql_constraints_run_as_one_query_find_what_pyshacl_finds(fixture: Path) -> None:
    """Node-shape SHACL-SPARQL constraints run as one LATERAL query per constraint
    (sparqlshapes.py); pySHACL runs them once per focus node. Same results (pySHACL prints
    IRIs in full in messages, so messages are left out)."""
    data = parse_turtle(ROOT / "ontology" / "azgraph.ttl")
    parse_turtle(fixture, data)
    ours = validate_graph(data, SHAPES, engine="oxigraph")
    theirs = validate_graph(data, SHAPES, engine="pyshacl")
    assert not theirs.conforms and ours.results
    assert _key_without_message(ours) == _key_without_message(theirs)
