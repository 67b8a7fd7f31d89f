"""The real repository: fresh, valid, every quote verified, and the articles' key facts present."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from azgraph.build.compile import build_graphs, compile_project
from azgraph.build.curated import load_curated
from azgraph.build.seeds import load_seeds
from azgraph.check.validate import load_shapes, validate_graph
from azgraph.project import Project
from azgraph.query.params import bind_params
from azgraph.query.queries import load_queries, run_local
from azgraph.rdf.dates import period_of
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.store import graph_files, load_oxigraph, load_rdflib
from azgraph.rdf.turtle import to_turtle

REPO = Path(__file__).resolve().parent.parent
PROJECT = Project.at(REPO)
ID = "https://w3id.org/azgraph/id/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_rdflib(graph_files(PROJECT))


def _value(term: object) -> object:
    assert isinstance(term, Literal)
    return term.value


def axiom_for(graph: Graph, s: URIRef, p: URIRef, o: object) -> list[Node]:
    return [
        a
        for a in graph.subjects(OWL.annotatedSource, s)
        if graph.value(a, OWL.annotatedProperty) == p and graph.value(a, OWL.annotatedTarget) == o
    ]


def test_committed_data_is_up_to_date() -> None:
    build_graphs(PROJECT, check=True)


def test_two_compilations_are_byte_identical() -> None:
    first = {k: to_turtle(g) for k, g in compile_project(PROJECT).items()}
    second = {k: to_turtle(g) for k, g in compile_project(PROJECT).items()}
    assert first == second


def test_every_evidence_quote_is_verbatim_at_its_offsets() -> None:
    seeds = load_seeds(PROJECT.seeds_dir)
    count = 0
    for path in sorted(PROJECT.curated_dir.glob("*.yaml")):
        curated = load_curated(path, seeds)  # raises on any misplaced quote
        seed = seeds[curated.seed]
        for ev in curated.evidence.values():
            assert " ".join(seed.text[ev.start : ev.end].split()) == ev.quote
            count += 1
    assert count > 100


def test_the_real_graph_conforms_to_every_shape_and_check() -> None:
    files = graph_files(PROJECT)
    checks = [q for q in load_queries(PROJECT.queries_dir).values() if q.kind == "check"]
    report = validate_graph(
        load_rdflib(files),
        load_shapes(PROJECT.shapes_dir),
        checks=checks,
        store=load_oxigraph(files),
    )
    assert report.conforms, [(str(r.focus), r.message) for r in report.results[:10]]
    assert report.results == []


def test_every_seed_has_curated_facts(graph: Graph) -> None:
    for seed in ("cemeri-2022", "ocmedia-2021"):
        source = URIRef(f"{ID}source/{seed}")
        assert len(list(graph.subjects(URIRef("http://purl.org/dc/terms/source"), source))) > 100


def test_every_individual_is_declared_named_individual(graph: Graph) -> None:
    for s in set(graph.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(ID):
            assert (s, RDF.type, OWL.NamedIndividual) in graph, s


def test_btc_length_route_and_capacity_as_the_article_gives_them(graph: Graph) -> None:
    btc = URIRef(f"{ID}pipeline/baku-tbilisi-ceyhan-pipeline")
    assert [_value(o) for o in graph.objects(btc, AZ.lengthKm)] == [Decimal(1768)]
    assert (btc, AZ.startsAt, URIRef(f"{ID}place/baku")) in graph
    assert (btc, AZ.endsAt, URIRef(f"{ID}place/ceyhan")) in graph
    assert [_value(o) for o in graph.objects(btc, AZ.capacityBarrelsPerDay)] == [Decimal(1000000)]


def test_the_1986_start_of_the_first_karabakh_war_is_kept_as_a_disputed_claim(graph: Graph) -> None:
    disputed = [
        a
        for a in graph.subjects(AZ.claimStatus, Literal("disputed"))
        if "1986" in str(graph.value(a, OWL.annotatedTarget))
        or "1986" in str(graph.value(a, AZ.quote))
    ]
    assert disputed, "the article's 1986 date must be recorded and marked disputed"
    assert any(
        "1988" in str(graph.value(a, URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")))
        for a in disputed
    )


def test_heydar_aliyev_ruled_1993_to_2003(graph: Graph) -> None:
    person = URIRef(f"{ID}person/heydar-aliyev")
    tenures = list(graph.subjects(AZ.holder, person))
    starts = {str(graph.value(t, AZ.startTime))[:4] for t in tenures}
    ends = {str(graph.value(t, AZ.endTime))[:4] for t in tenures}
    assert "1993" in starts and "2003" in ends


def test_confederation_advocates_include_elchibey_and_hajibeyli(graph: Graph) -> None:
    idea = URIRef(f"{ID}idea/turkish-azerbaijani-confederation")
    advocates = set(graph.subjects(AZ.advocated, idea))
    assert URIRef(f"{ID}person/abulfaz-elchibey") in advocates
    assert URIRef(f"{ID}person/gultekin-hajibeyli") in advocates


def test_misspellings_are_kept_as_names_as_written(graph: Graph) -> None:
    names = {str(o) for o in graph.objects(URIRef(f"{ID}person/heydar-aliyev"), AZ.nameAsWritten)}
    assert "Haydar Aliyey" in names


def test_the_2010_agreement_is_signed_by_ilham_aliyev_and_abdullah_gul(graph: Graph) -> None:
    signed = {
        a
        for a in graph.subjects(AZ.signatory, URIRef(f"{ID}person/ilham-aliyev"))
        if (a, AZ.signatory, URIRef(f"{ID}person/abdullah-gul")) in graph
    }
    assert signed
    [agreement] = signed
    assert str(graph.value(agreement, AZ.signingDate)).startswith("2010")


def _run_bundled(name: str, **params: str) -> list[dict[str, str]]:
    query = load_queries(PROJECT.queries_dir)[name]
    result = run_local(load_oxigraph(graph_files(PROJECT)), query, bind_params(query, params))
    return [
        {v: str(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]


def test_at_most_five_percent_of_facts_are_text_only() -> None:
    [row] = _run_bundled("text-only-share")
    facts, text_only = int(row["facts"]), int(row["textOnly"])
    assert facts > 800
    assert text_only * 100 <= facts * 5, f"{text_only} of {facts} facts are text only"


def test_a_former_member_is_not_a_member(graph: Graph) -> None:
    tural, musavat = URIRef(f"{ID}person/tural-abbasli"), URIRef(f"{ID}org/musavat")
    assert (tural, AZ.memberOf, musavat) not in graph
    assert (tural, AZ.formerMemberOf, musavat) in graph


def test_every_tenure_holder_holds_its_office_directly(graph: Graph) -> None:
    tenures = list(graph.subjects(RDF.type, AZ.Tenure))
    assert tenures
    for tenure in tenures:
        holder, office = graph.value(tenure, AZ.holder), graph.value(tenure, AZ.office)
        assert (holder, AZ.positionHeld, office) in graph, tenure


def test_offices_answer_when_or_former() -> None:
    rows = {(r["person"], r["office"]): r for r in _run_bundled("offices")}
    gul = rows[(f"{ID}person/abdullah-gul", f"{ID}office/president-of-turkey")]
    assert gul["status"] == "former"
    heydar = rows[(f"{ID}person/heydar-aliyev", f"{ID}office/president-of-azerbaijan")]
    assert (heydar["start"], heydar["end"]) == ("1993", "2003")


def test_sources_link_to_their_author_and_publisher(graph: Graph) -> None:
    source = URIRef(f"{ID}source/ocmedia-2021")
    assert (source, AZ.author, URIRef(f"{ID}person/rovshan-mammadli")) in graph
    assert (source, AZ.publisher, URIRef(f"{ID}org/oc-media")) in graph


def test_turkey_signed_the_2010_agreement_through_its_president() -> None:
    rows = _run_bundled("agreements-signed-by", state="state:turkey")
    agreement = f"{ID}agreement/strategic-partnership-and-mutual-assistance-agreement-2010"
    mine = [r for r in rows if r["agreement"] == agreement]
    assert {r["signedFor"] for r in mine} >= {f"{ID}person/abdullah-gul", f"{ID}state/turkey"}
    assert {r.get("with") for r in mine} >= {f"{ID}state/azerbaijan", f"{ID}person/ilham-aliyev"}
    assert {r.get("signed") for r in mine} == {"2010"}


def test_export_routes_aim_at_the_european_market() -> None:
    rows = _run_bundled("export-routes")
    markets = {(r["route"], r["market"]) for r in rows}
    assert (f"{ID}pipeline/baku-tbilisi-ceyhan-pipeline", f"{ID}place/europe") in markets
    assert (f"{ID}pipeline/southern-gas-corridor", f"{ID}place/europe") in markets


def test_the_2009_end_of_the_diplomatic_freeze_is_disputed(graph: Graph) -> None:
    freeze = URIRef(f"{ID}event/turkey-armenia-diplomatic-freeze")
    [end] = list(graph.objects(freeze, AZ.endTime))
    statuses = {
        str(graph.value(a, AZ.claimStatus)) for a in axiom_for(graph, freeze, AZ.endTime, end)
    }
    assert statuses == {"disputed"}


def test_the_second_karabakh_war_ends_once_with_both_sources_evidence(graph: Graph) -> None:
    war = URIRef(f"{ID}conflict/second-nagorno-karabakh-war")
    [end] = graph.objects(war, AZ.endTime)
    assert str(end) == "2020-11-09T00:00:00"
    found = axiom_for(graph, war, AZ.endTime, end)
    sources = {str(graph.value(a, URIRef("http://purl.org/dc/terms/source"))) for a in found}
    assert sources == {f"{ID}source/cemeri-2022", f"{ID}source/ocmedia-2021"}
    assert {str(graph.value(a, AZ.latest)) for a in found} == {"2020-11-09T23:59:59"}
    # OC Media gives only the year: its axiom says so
    assert {str(graph.value(a, AZ.statedPrecision)) for a in found} == {"None", "year"}


def test_every_date_axiom_has_the_bounds_of_its_value_at_its_precision(graph: Graph) -> None:
    dated = list(graph.subjects(AZ.datePrecision, None))
    assert len(dated) > 40
    for axiom in dated:
        period = period_of(
            graph.value(axiom, OWL.annotatedTarget), str(graph.value(axiom, AZ.datePrecision))
        )
        bounds = (str(graph.value(axiom, AZ.earliest)), str(graph.value(axiom, AZ.latest)))
        assert bounds == (period.earliest, period.latest), axiom
