"""The real repository: fresh, valid, every quote verified, and the articles' key facts present."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF

from azgraph.build.compile import build_graphs, compile_project
from azgraph.build.curated import load_curated
from azgraph.build.seeds import load_seeds
from azgraph.check.validate import load_shapes, validate_graph
from azgraph.project import Project
from azgraph.query.queries import load_queries
from azgraph.rdf.dates import period_of
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.store import graph_files, load_oxigraph, load_rdflib
from azgraph.rdf.turtle import to_turtle

REPO = Path(__file__).resolve().parent.parent
PROJECT = Project.at(REPO)
ID = "https://w3id.org/azgraph/id/"


@pytest.fixture(scope="module")
def graph():  # type: ignore[no-untyped-def]
    return load_rdflib(graph_files(PROJECT))


def axiom_for(graph, s: URIRef, p: URIRef, o: object) -> list[object]:  # type: ignore[no-untyped-def]
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


def test_every_seed_has_curated_facts(graph) -> None:  # type: ignore[no-untyped-def]
    for seed in ("cemeri-2022", "ocmedia-2021"):
        source = URIRef(f"{ID}source/{seed}")
        assert len(list(graph.subjects(URIRef("http://purl.org/dc/terms/source"), source))) > 100


def test_every_individual_is_declared_named_individual(graph) -> None:  # type: ignore[no-untyped-def]
    for s in set(graph.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(ID):
            assert (s, RDF.type, OWL.NamedIndividual) in graph, s


def test_btc_length_route_and_capacity_as_the_article_gives_them(graph) -> None:  # type: ignore[no-untyped-def]
    btc = URIRef(f"{ID}pipeline/baku-tbilisi-ceyhan-pipeline")
    assert [o.value for o in graph.objects(btc, AZ.lengthKm)] == [Decimal(1768)]
    assert (btc, AZ.startsAt, URIRef(f"{ID}place/baku")) in graph
    assert (btc, AZ.endsAt, URIRef(f"{ID}place/ceyhan")) in graph
    assert [o.value for o in graph.objects(btc, AZ.capacityBarrelsPerDay)] == [Decimal(1000000)]


def test_the_1986_start_of_the_first_karabakh_war_is_kept_as_a_disputed_claim(graph) -> None:  # type: ignore[no-untyped-def]
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


def test_heydar_aliyev_ruled_1993_to_2003(graph) -> None:  # type: ignore[no-untyped-def]
    person = URIRef(f"{ID}person/heydar-aliyev")
    tenures = list(graph.subjects(AZ.holder, person))
    starts = {str(graph.value(t, AZ.startTime))[:4] for t in tenures}
    ends = {str(graph.value(t, AZ.endTime))[:4] for t in tenures}
    assert "1993" in starts and "2003" in ends


def test_confederation_advocates_include_elchibey_and_hajibeyli(graph) -> None:  # type: ignore[no-untyped-def]
    idea = URIRef(f"{ID}idea/turkish-azerbaijani-confederation")
    advocates = set(graph.subjects(AZ.advocated, idea))
    assert URIRef(f"{ID}person/abulfaz-elchibey") in advocates
    assert URIRef(f"{ID}person/gultekin-hajibeyli") in advocates


def test_misspellings_are_kept_as_names_as_written(graph) -> None:  # type: ignore[no-untyped-def]
    names = {str(o) for o in graph.objects(URIRef(f"{ID}person/heydar-aliyev"), AZ.nameAsWritten)}
    assert "Haydar Aliyey" in names


def test_the_2010_agreement_is_signed_by_ilham_aliyev_and_abdullah_gul(graph) -> None:  # type: ignore[no-untyped-def]
    signed = {
        a
        for a in graph.subjects(AZ.signatory, URIRef(f"{ID}person/ilham-aliyev"))
        if (a, AZ.signatory, URIRef(f"{ID}person/abdullah-gul")) in graph
    }
    assert signed
    [agreement] = signed
    assert str(graph.value(agreement, AZ.signingDate)).startswith("2010")


def test_the_second_karabakh_war_ends_once_with_both_sources_evidence(graph) -> None:  # type: ignore[no-untyped-def]
    war = URIRef(f"{ID}conflict/second-nagorno-karabakh-war")
    [end] = graph.objects(war, AZ.endTime)
    assert str(end) == "2020-11-09T00:00:00"
    found = axiom_for(graph, war, AZ.endTime, end)
    sources = {str(graph.value(a, URIRef("http://purl.org/dc/terms/source"))) for a in found}
    assert sources == {f"{ID}source/cemeri-2022", f"{ID}source/ocmedia-2021"}
    assert {str(graph.value(a, AZ.latest)) for a in found} == {"2020-11-09T23:59:59"}
    # OC Media gives only the year: its axiom says so
    assert {str(graph.value(a, AZ.statedPrecision)) for a in found} == {"None", "year"}


def test_every_date_axiom_has_the_bounds_of_its_value_at_its_precision(graph) -> None:  # type: ignore[no-untyped-def]
    dated = list(graph.subjects(AZ.datePrecision, None))
    assert len(dated) > 40
    for axiom in dated:
        period = period_of(
            graph.value(axiom, OWL.annotatedTarget), str(graph.value(axiom, AZ.datePrecision))
        )
        bounds = (str(graph.value(axiom, AZ.earliest)), str(graph.value(axiom, AZ.latest)))
        assert bounds == (period.earliest, period.latest), axiom
