"""Token-level vetting (no rdflib) agrees with the algebra-level check on tricky queries."""

from __future__ import annotations

import pytest

from azgraph.errors import PolicyError, QueryError
from azgraph.query.queries import vet_query, vet_query_algebra
from azgraph.query.sparqlvet import decode_escapes, scan

ACCEPTED = [
    "SELECT ?service WHERE { ?service ?from ?load }",
    "SELECT $service WHERE { $service a az:Pipeline }",
    'SELECT ?s WHERE { ?s rdfs:label "SERVICE <http://x/> { }" }',
    "SELECT ?s WHERE { ?s rdfs:label 'FROM <file:///etc/passwd>' }",
    'SELECT ?s WHERE { ?s rdfs:label """LOAD <http://x>\nDROP ALL""" }',
    "SELECT ?s WHERE { ?s rdfs:label '''INSERT DATA { }''' }",
    "SELECT ?s WHERE { ?s <http://example.org/SERVICE/FROM> ?o }",
    "# SERVICE <http://x/> in a comment\nSELECT ?s WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE { ?s ex:service ex:from }",
    "PREFIX service: <http://example.org/>\nSELECT ?s WHERE { ?s service:load ?o }",
    'SELECT ?s WHERE { ?s ?p "x"@from }',
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/x>",
    "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o ?q ?s } }",
    'SELECT ?s WHERE { ?s rdfs:label "\\u0053ERVICE" }',
    "SELECT ?s WHERE { ?s ?p ?o . FILTER(?o<3) }",
]

REFUSED = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { service<http://127.0.0.1:9/>{ ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT ?x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE { SERV\\u0049CE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053ERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * from<file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s FROM <http://x/> WHERE { ?s ?p ?o } } }",
    "SELECT * \\u0046ROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "ASK FROM <http://x/> { ?s ?p ?o }",
    "DROP ALL",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR DEFAULT",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
    "# comment\nSERVICE",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_both_checks_accept_harmless_queries_with_the_same_form(text: str) -> None:
    assert vet_query(text) == vet_query_algebra(text)


@pytest.mark.parametrize("text", REFUSED)
def test_both_checks_refuse_network_file_and_update_operations(text: str) -> None:
    with pytest.raises((PolicyError, QueryError)):  # a FROM in a sub-select: a syntax error
        vet_query_algebra(text)
    with pytest.raises(PolicyError):
        vet_query(text)


def test_escapes_are_decoded_before_tokens_are_cut() -> None:
    assert decode_escapes("SERV\\u0049CE \\U0001F600") == "SERVICE \U0001f600"
    assert scan("SELECT * WHERE { SERV\\u0049CE <x> {} }").network == ("SERVICE",)


def test_keywords_inside_strings_iris_comments_and_names_are_not_keywords() -> None:
    found = scan(
        "PREFIX from: <http://x/FROM>\n# LOAD\n"
        "SELECT ?service WHERE { ?service from:service 'DROP' ; <http://x/SERVICE> ?load }"
    )
    assert (found.form, found.network, found.dataset, found.update) == ("select", (), (), ())


def test_syntax_errors_are_reported_by_pyoxigraph_with_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        vet_query("SELECT * WHERE {\n  ?s ?p ?o FILTER(?x = ) }")
