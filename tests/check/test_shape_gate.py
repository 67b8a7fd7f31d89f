"""Issue #16: every SPARQL text a shapes graph carries is gated in the library, and the SHACL
features azgraph does not run are refused by name before pySHACL (which would run them) sees
them. Each case is checked through `validate_graph` itself, the API a Python caller uses, with
a loopback listener that counts connections: none may be made."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from azgraph.check.validate import validate_graph
from azgraph.cli.main import cli
from azgraph.errors import ExitCode, InputError, PolicyError
from tests.conftest import make_project
from tests.test_network_policy import Listener

HEADER = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
DATA = "@prefix ex: <http://example.org/> .\nex:x a ex:T ; ex:p ex:y .\n"
ASK_VALIDATOR = """
ex:ProbeComponent a sh:ConstraintComponent ;
  sh:parameter [ sh:path ex:probe ] ;
  sh:validator ex:Probe .
ex:Probe a sh:SPARQLAskValidator ;
  sh:message "probe failed" ;
  sh:ask \"\"\"ASK { BODY }\"\"\" .
ex:S a sh:NodeShape ; sh:targetNode ex:x ; ex:probe true .
"""


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def graph(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def validate(shapes: str) -> object:
    return validate_graph(graph(DATA), graph(HEADER + shapes))


@pytest.mark.parametrize(
    "service",
    ["SERVICE", "S\\\\u0045RVICE", "serv\\\\u0069ce"],
    ids=["plain", "escaped", "escaped-lower-case"],
)
def test_issue_16_an_ask_validator_with_service_is_refused_in_the_library(
    listener: Listener, service: str
) -> None:
    body = f"{service} <http://127.0.0.1:{listener.port}/sparql> {{ $this ?p ?o }}"
    with pytest.raises(PolicyError, match=r"ex:Probe sh:ask: SERVICE is refused"):
        validate(ASK_VALIDATOR.replace("BODY", body))
    assert listener.connections == 0
    # the same validator without SERVICE still runs: the gate refuses only what it must
    body = "$this <http://example.org/p> <http://example.org/nothing>"
    report = validate(ASK_VALIDATOR.replace("BODY", body))
    assert [r.message for r in report.results] == ["probe failed"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("engine", ["fast", "oxigraph", "pyshacl"])
def test_issue_16_validate_graph_refuses_service_in_sh_select(
    listener: Listener, engine: str
) -> None:
    shapes = (
        'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select """SELECT $this '
        f'WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ $this ?p ?o }} }}""" ] .'
    )
    with pytest.raises(PolicyError, match="SERVICE is refused"):
        validate_graph(graph(DATA), graph(HEADER + shapes), engine=engine)
    assert listener.connections == 0


UNRUN = {
    "sparql-rule": (
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:rule [ a sh:SPARQLRule ; sh:construct "
        '"CONSTRUCT { $this ex:q ?o } WHERE { SERVICE <@URL@> { $this ?p ?o } }" ] .',
        "ex:S uses sh:rule (SHACL Advanced Features rules), which azgraph does not run. Remove it.",
    ),
    "triple-rule": (
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:rule [ a sh:TripleRule ; "
        "sh:subject sh:this ; sh:predicate ex:q ; sh:object ex:z ] .",
        "ex:S uses sh:rule (SHACL Advanced Features rules)",
    ),
    "sparql-target": (
        "ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select "
        '"SELECT ?this WHERE { SERVICE <@URL@> { ?this ?p ?o } }" ] ; sh:class ex:T .',
        "ex:S uses sh:target (SHACL Advanced Features custom targets)",
    ),
    "sparql-target-type": (
        'ex:PeopleTarget a sh:SPARQLTargetType ; sh:select "SELECT ?this WHERE { ?this a ex:T }" .',
        "ex:PeopleTarget uses sh:SPARQLTargetType (SHACL Advanced Features custom targets)",
    ),
    "sparql-function": (
        'ex:f a sh:SPARQLFunction ; sh:returnType xsd:boolean ; sh:ask "ASK { SERVICE <@URL@> '
        '{ ?s ?p ?o } }" .',
        "ex:f uses sh:SPARQLFunction (SHACL Advanced Features functions)",
    ),
    "shacl-js": (
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:js [ a sh:JSConstraint ; "
        'sh:jsFunctionName "f" ; sh:jsLibrary [ sh:jsLibraryURL "@URL@"^^xsd:anyURI ] ] .',
        "ex:S uses sh:js (SHACL-JS)",
    ),
    "update": (
        'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:update "LOAD <@URL@>" ] .',
        "ex:S uses sh:update (SPARQL updates)",
    ),
    "entailment": (
        "ex:Onto a owl:Ontology ; sh:entailment <http://www.w3.org/ns/entailment/RDFS> .\n"
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:T .",
        "ex:Onto uses sh:entailment (entailment regimes)",
    ),
    "shapes-graph-variable": (
        'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select """SELECT $this '
        'WHERE { GRAPH $shapesGraph { $this ?p ?o } }""" ] .',
        "ex:S uses $shapesGraph in a SPARQL query, which azgraph does not support",
    ),
    "current-shape-variable": (
        'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select """SELECT $this '
        'WHERE { $this ?p $currentShape }""" ] .',
        "ex:S uses $currentShape in a SPARQL query",
    ),
}


@pytest.mark.parametrize("case", sorted(UNRUN))
def test_issue_16_shape_features_azgraph_does_not_run_are_refused_by_name(
    listener: Listener, case: str
) -> None:
    shapes, message = UNRUN[case]
    shapes = shapes.replace("@URL@", f"http://127.0.0.1:{listener.port}/")
    with pytest.raises(PolicyError) as refused:
        validate(shapes)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert listener.connections == 0


def test_issue_16_a_prefix_declaration_cannot_inject_query_text(listener: Listener) -> None:
    """pySHACL pastes declarations into the query as PREFIX p: <ns>: a ">" in ns would end it."""
    shapes = (
        f'ex:Onto a owl:Ontology ; sh:declare [ sh:prefix "ev" ; sh:namespace "http://e/> '
        f'SERVICE <http://127.0.0.1:{listener.port}/> {{ }} #" ] .\n'
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:sparql [ "
        'sh:prefixes ex:Onto ; sh:select "SELECT $this WHERE { $this $PATH ?v }" ] ] .'
    )
    with pytest.raises(InputError, match="sh:namespace of prefix 'ev' in ex:Onto is not"):
        validate_graph(graph(DATA), graph(HEADER + shapes), engine="pyshacl")
    assert listener.connections == 0


def test_issue_16_validate_refuses_an_escaped_service_in_an_ask_validator(
    tmp_path: Path, listener: Listener
) -> None:
    root = make_project(tmp_path)
    assert CliRunner().invoke(cli, ["build", "--project", str(root)]).exit_code == 0
    body = f"S\\\\u0045RVICE <http://127.0.0.1:{listener.port}/sparql> {{ $this ?p ?o }}"
    (root / "shapes" / "probe.ttl").write_text(
        HEADER + ASK_VALIDATOR.replace("BODY", body), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", "--project", str(root)])
    assert result.exit_code == ExitCode.POLICY, result.output
    assert result.stderr.strip().splitlines() == [
        f"error: {root / 'shapes' / 'probe.ttl'}: ex:Probe sh:ask: SERVICE is refused: a query "
        "may not contact other endpoints. Remove the SERVICE clause."
    ]
    assert listener.connections == 0
    shutil.rmtree(root)


def test_a_shapes_graph_changed_after_load_shapes_is_vetted_again(
    tmp_path: Path, listener: Listener
) -> None:
    # load_shapes vets the merged graph once and validate_graph skips a graph whose triples
    # already passed; the skip is by content, so an edit made in between cannot slip through.
    from rdflib import Literal, URIRef

    from azgraph.check.validate import load_shapes
    from azgraph.rdf.namespaces import SH

    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "s.ttl").write_text(
        HEADER + "ex:S a sh:NodeShape ; sh:targetNode ex:x .\n", encoding="utf-8"
    )
    shapes = load_shapes(folder)
    validate_graph(graph(DATA), shapes)  # passes, and is remembered
    constraint = URIRef("http://example.org/c")
    shapes.add((URIRef("http://example.org/S"), SH.sparql, constraint))
    select = f"SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
    shapes.add((constraint, SH.select, Literal(select)))
    with pytest.raises(PolicyError, match="SERVICE is refused"):
        validate_graph(graph(DATA), shapes)
    assert listener.connections == 0
