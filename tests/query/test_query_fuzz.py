"""Issue #16: SPARQL texts built from a grammar-ish alphabet, run through the gate and the local
engine (and as a shape's constraint through validate_graph), never end in anything but an
`AzgraphError`: no traceback, no crash, no hang (each example has a 10 s deadline).

The alphabet holds the brackets and separators the bounds count, keywords the gate refuses
(also spelled with \\u escapes), extension-function calls, relative and absolute IRIs, strings
of every quote form, comments and variables, plus runs of nested brackets long enough to have
crashed pyoxigraph before the bounds.
"""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from azgraph.check.validate import validate_graph
from azgraph.errors import AzgraphError
from azgraph.query.queries import parse_query_text, run_local

WORDS = [
    *"{ } ( ) [ ] . ; , * = < > ! && || ^^ / | + - ? a 1 1.5".split(),
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "BIND", "AS", "VALUES", "GRAPH", "EXISTS", "NOT", "LATERAL", "GROUP BY", "ORDER BY",
    "LIMIT 3", "COUNT(*)", "BASE <http://ex/>", "PREFIX ex: <http://ex/>",
    "SERVICE", "S\\u0045RVICE", "\\u0053ERVICE", "FROM", "FROM NAMED", "LOAD", "INSERT DATA",
    "DROP ALL", "SERVICE <http://127.0.0.1:9/>",
    "?s", "?p", "?o", "$this", "_:b", "[]", "()",
    "<http://ex/a>", "<x>", "<>", "<\\u0078>", "ex:p", "ex:f(?o)", "<http://ex/f>(1)",
    ":g(?s)", "ex:", '"s"', "'s'", '"""l\n"""', '"e"@en', '"1"^^ex:t', "#c\n", "\n", "\\",
    '"', "'", "\\u0028", "?s ?p ?o", "?s ?p ?o .",
]  # fmt: skip

token = st.sampled_from(WORDS)
nested = st.builds(
    lambda opening, depth, inner: opening * depth + inner + {"(": ")", "{": "}"}[opening] * depth,
    st.sampled_from(["(", "{"]),
    st.integers(0, 6000),
    st.sampled_from(["1", "?s ?p ?o", ""]),
)
fragment = st.lists(st.one_of(token, token, token, nested), max_size=40).map(" ".join)
query = st.one_of(
    fragment,
    fragment.map(lambda body: f"SELECT * WHERE {{ {body} }}"),
    fragment.map(lambda body: f"ASK {{ ?s ?p ?o {body} }}"),
)

STORE = ox.Store()
STORE.load(b"<http://ex/a> <http://ex/p> <http://ex/b>, 1, 'x' .", format=ox.RdfFormat.TURTLE)
DATA = Graph().parse(data="<http://ex/a> <http://ex/p> <http://ex/b> .", format="turtle")
FUZZ = settings(
    max_examples=200,
    deadline=10_000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(query)
@example("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
@example("PREFIX ex: <http://ex/> SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }")
@example("SELECT * WHERE { ?s ?p ?o } GROUP BY")
def test_issue_16_fuzzed_queries_end_in_an_answer_or_an_azgraph_error(text: str) -> None:
    try:
        run_local(STORE, parse_query_text(text, name="fuzz"), {}, limit=5, timeout=5)
    except AzgraphError as exc:
        assert "\n" not in str(exc), str(exc)


@settings(FUZZ, max_examples=100)
@given(fragment)
@example("{" * 5000 + "}" * 5000)
@example("FILTER(<http://ex/f>($this))")
def test_issue_16_fuzzed_shape_constraints_end_in_a_report_or_an_azgraph_error(
    body: str,
) -> None:
    select = f"SELECT $this WHERE {{ $this ?p ?o {body} }}"
    select = select.replace("\\", "\\\\").replace('"""', "'''")  # Turtle keeps them
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://ex/S> a sh:NodeShape ; sh:targetNode <http://ex/a> ; "
        f'sh:sparql [ sh:select """{select}""" ] .',
        format="turtle",
    )
    try:
        validate_graph(DATA, shapes)
    except AzgraphError as exc:
        assert "\n" not in str(exc), str(exc)
