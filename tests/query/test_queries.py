"""Bundled queries: headers, policy, parameter binding, expected rows, and engine agreement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from azgraph.errors import ExitCode, PolicyError, QueryError
from azgraph.project import Project
from azgraph.query.queries import (
    QueryFile,
    bind_params,
    find_query,
    load_queries,
    parse_query_text,
    run_local,
    to_term,
    vet_query,
    with_bindings,
)
from azgraph.query.render import render_result
from azgraph.rdf.prefixes import PREFIXES
from azgraph.rdf.store import graph_files, load_oxigraph, load_rdflib
from tests.conftest import comparable

REPO = Path(__file__).resolve().parents[2]
QUERIES = load_queries(REPO / "queries")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checks"


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    return load_oxigraph(graph_files(Project.at(REPO)))


@pytest.fixture(scope="module")
def rdflib_graph() -> Graph:
    return load_rdflib(graph_files(Project.at(REPO)))


def rows(store: pyoxigraph.Store, name: str, **params: str) -> list[dict[str, str]]:
    query = QUERIES[name]
    result = run_local(store, query, bind_params(query, params))
    return [
        {v: ("" if t is None else str(t)) for v, t in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


def test_at_least_twenty_bundled_queries() -> None:
    assert len([q for q in QUERIES.values() if q.kind == "report"]) >= 20


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
def test_every_query_has_a_complete_header_and_sorted_output(query: QueryFile) -> None:
    assert query.title and query.description and query.kind
    assert vet_query(query.text, query.name) == "select"
    order = [ln for ln in query.text.splitlines() if ln.startswith("ORDER BY")]
    assert order, "every SELECT ends with ORDER BY"
    empty = pyoxigraph.Store().query(
        with_bindings(query.text, bind_params(query, {})), prefixes=PREFIXES
    )
    assert isinstance(empty, pyoxigraph.QuerySolutions)
    projected = [f"?{v.value}" for v in empty.variables]
    keys = order[-1].split()[2:]
    ordered = [k for k in keys if k.startswith("?")]
    # Sort keys that are not projected may come first (a date's az:earliest bound sorts the
    # timeline; the date prints at its precision), as long as every projected variable follows.
    assert sorted(projected) == sorted(ordered[len(ordered) - len(projected) :]), (
        "ORDER BY must end with every projected variable"
    )


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
def test_every_query_runs_on_the_real_graph_and_matches_its_snapshot(
    store: pyoxigraph.Store,
    query: QueryFile,
    snapshot: Callable[[str, str], None],
) -> None:
    result = run_local(store, query, bind_params(query, {}))
    if query.kind == "check":
        assert result.rows == (), f"check {query.name} reports problems: {result.rows[:3]}"
    else:
        assert result.rows, f"{query.name} returns no rows on the real graph"
    snapshot(f"queries/{query.name}.csv", render_result(result, "csv"))


@pytest.mark.parametrize(
    "query", [q for q in QUERIES.values() if q.kind == "check"], ids=lambda q: q.name
)
def test_every_check_query_can_fail(query: QueryFile) -> None:
    bad = FIXTURES / f"{query.name}.ttl"
    assert bad.exists(), f"add tests/fixtures/checks/{query.name}.ttl"
    fixture_store = load_oxigraph([REPO / "ontology" / "azgraph.ttl", bad])
    result = run_local(fixture_store, query, {})
    assert result.rows
    assert set(result.variables) >= {"focus", "message"}


@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
def test_rdflib_and_pyoxigraph_return_the_same_rows(
    store: pyoxigraph.Store,
    rdflib_graph: Graph,
    query: QueryFile,
) -> None:
    bindings = bind_params(query, {})
    ox_rows = {tuple(map(comparable, row)) for row in run_local(store, query, bindings).rows}
    text = with_bindings(query.text, bindings)
    rdf_rows = {
        tuple(map(comparable, row))  # type: ignore[arg-type]
        for row in rdflib_graph.query(text, initNs=PREFIXES)
    }
    assert ox_rows == rdf_rows


def test_pipelines_query_returns_btc_with_length_and_route(store: pyoxigraph.Store) -> None:
    [btc] = [r for r in rows(store, "pipelines") if "Baku–Tbilisi–Ceyhan" in r["name"]]
    assert btc["lengthKm"] == "1768"
    assert btc["startsAt"].endswith("/place/baku")
    assert btc["endsAt"].endswith("/place/ceyhan")
    assert btc["capacityBarrelsPerDay"] == "1000000"
    assert btc["constructionStart"] == "2003"


def test_parameters_are_bound_as_terms_not_pasted(store: pyoxigraph.Store) -> None:
    hostile = '") || true) } #'
    assert rows(store, "search-quotes", text=hostile) == []
    text = with_bindings(QUERIES["search-quotes"].text, {"text": Literal(hostile)})
    assert '"\\") || true) } #"' in text


def test_an_iri_parameter_with_spaces_or_braces_is_rejected() -> None:
    with pytest.raises(QueryError, match="is not an IRI"):
        to_term("state:x> } ; DROP ALL ; #", "iri", "entity")


def test_prefixed_names_expand_to_project_iris() -> None:
    assert to_term("state:azerbaijan", "iri", "e") == URIRef(PREFIXES["state"] + "azerbaijan")


def test_unknown_parameter_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(QueryError, match=r"unknown parameter 'entiy'.*Its parameters: entity"):
        bind_params(QUERIES["facts-about"], {"entiy": "state:turkey"})


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "DROP ALL",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_network_and_update_operations_are_refused(text: str) -> None:
    with pytest.raises(PolicyError) as err:
        vet_query(text)
    assert err.value.exit_code == ExitCode.POLICY


def test_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(QueryError, match=r"line 2, column \d+"):
        vet_query("SELECT * WHERE {\n  ?s ?p ?o FILTER(?x = ) }")


def test_unknown_query_name_suggests_close_names() -> None:
    with pytest.raises(QueryError, match="Did you mean facts-about"):
        find_query(REPO / "queries", "facts-abut")


def test_user_query_files_run_by_path(tmp_path: Path, store: pyoxigraph.Store) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?p WHERE { ?p a az:Pipeline } ORDER BY ?p\n", encoding="utf-8")
    query = find_query(REPO / "queries", str(path))
    assert len(run_local(store, query, {}).rows) >= 2


def test_header_with_unknown_key_is_an_error() -> None:
    with pytest.raises(QueryError, match="unknown header key 'tittle'"):
        parse_query_text("#+ tittle: x\nSELECT * WHERE {}", name="t")


def test_issue_16_the_fast_lane_never_runs_a_cached_text_past_the_bounds() -> None:
    """The prepared-query cache is only a folder: a deep text written there goes to the full
    lane, whose gate refuses it, instead of to pyoxigraph."""
    from azgraph import paths
    from azgraph.query import fastlane, sparqlvet

    assert (fastlane._MAX_NESTING, fastlane._MAX_PATTERNS) == (
        sparqlvet.MAX_NESTING,
        sparqlvet.MAX_PATTERNS,
    )
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    many = "SELECT * WHERE {" + " ?s ?p ?o ." * 600 + "}"
    for text in (deep, many):
        assert fastlane.decode_prepared(paths.encode_prepared("select", text)) is None
    plain = "SELECT * WHERE { ?s ?p ?o . ?o ?q ?r }"
    assert fastlane.decode_prepared(paths.encode_prepared("select", plain)) == ("select", plain)


def test_issue_16_extension_functions_pass_the_gate_for_an_endpoint_only() -> None:
    """A remote endpoint may know the function (Virtuoso's bif:, Wikidata's), the local engine
    does not: the gate lets it through for --endpoint and refuses it for a local run."""
    text = "PREFIX ex: <http://ex/> SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }"
    assert vet_query(text) == "select"
    with pytest.raises(QueryError, match=r"extension function <http://ex/f> is not supported"):
        vet_query(text, local=True)
