"""SHACL shape tests: every shape in shapes/ accepts valid data and is shown able to fail.

Fixtures live in ``tests/shapes/<ShapeLocalName>/``:

* ``valid-*.ttl`` must conform completely: no result of any severity from any shape. So they
  carry everything real output carries: a source document, an evidence quote, English labels,
  an evidenced ``az:nameAsWritten`` for named entities and an ``owl:Axiom`` with ``az:evidence``
  for every fact.
* ``invalid-*.ttl`` are valid data plus only the intended problems. `EXPECTED` lists, for each,
  the exact set of (shape, focus node) pairs its errors must name: no more, no fewer.

Each fixture is validated with the ontology (so ``sh:class`` sees ``rdfs:subClassOf``) and
nothing else, so fixtures are independent of each other and of data/. An axiom that an invalid
fixture expects to be reported gets an IRI in a test-only namespace (``axiom:``) instead of a
blank node, so that its focus node can be named.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql import processor as sparql_processor

from azgraph.check.validate import Report, load_shapes, validate_graph
from azgraph.rdf.namespaces import AZSH, INSTANCE_NS, SH, new_graph
from azgraph.rdf.prefixes import PREFIXES
from azgraph.rdf.turtle import parse_turtle

ROOT = Path(__file__).parents[2]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_FILE = ROOT / "ontology" / "azgraph.ttl"
FIXTURES = Path(__file__).parents[1] / "shapes"

AXIOM_NS = "https://example.org/azgraph-test/axiom/"
CURIE_PREFIXES = {**{kind: str(ns) for kind, ns in INSTANCE_NS.items()}, "axiom": AXIOM_NS}

# Every fixture starts with exactly this prefix block (the project's instance namespaces first).
HEADER = "".join(
    f"@prefix {prefix}: <{iri}> .\n"
    for prefix, iri in [
        *CURIE_PREFIXES.items(),
        *((p, PREFIXES[p]) for p in ("az", "dcterms", "owl", "rdfs", "skos", "xsd")),
    ]
)

# invalid fixture -> the (shape, focus node) pairs of its errors, focus nodes written as CURIEs.
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "AgreementShape/invalid-ends-an-event.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-party-is-a-place.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-purpose-without-language-tag.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-signatory-is-an-idea.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-signed-after-signer-tenure-ended.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-signed-before-signer-tenure-began.ttl": {
        ("azsh:AgreementShape", "agreement:test-agreement"),
    },
    "AgreementShape/invalid-two-entry-into-force-dates.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AgreementShape/invalid-two-signing-dates.ttl": {
        ("azsh:AgreementShape", "agreement:shusha-declaration"),
    },
    "AxiomShape/invalid-annotates-an-absent-triple.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-claim-status-without-editorial-note.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-evidence-from-another-source.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-evidence-is-not-an-evidence-individual.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
        ("azsh:IndividualShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "AxiomShape/invalid-source-is-not-a-source-document.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-two-claim-statuses.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-two-date-precisions.ttl": {
        ("azsh:AxiomShape", "axiom:service"),
    },
    "AxiomShape/invalid-earliest-after-latest.ttl": {
        ("azsh:AxiomShape", "axiom:service"),
    },
    "AxiomShape/invalid-bound-not-a-datetime.ttl": {
        ("azsh:AxiomShape", "axiom:service"),
    },
    "AxiomShape/invalid-stated-precision-day.ttl": {
        ("azsh:AxiomShape", "axiom:service"),
    },
    "AxiomShape/invalid-two-sources.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-unknown-claim-status.ttl": {
        ("azsh:AxiomShape", "axiom:length"),
    },
    "AxiomShape/invalid-unknown-date-precision.ttl": {
        ("azsh:AxiomShape", "axiom:service"),
    },
    "ConflictShape/invalid-belligerent-is-a-place.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-ended-by-an-event.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-one-belligerent.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-started-by-an-agreement.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-two-durations.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-winner-not-a-belligerent.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "ConflictShape/invalid-zero-duration.ttl": {
        ("azsh:ConflictShape", "conflict:second-karabakh-war"),
    },
    "DatesInOrderShape/invalid-agreement-in-force-before-signing.ttl": {
        ("azsh:DatesInOrderShape", "agreement:shusha-declaration"),
    },
    "DatesInOrderShape/invalid-conflict-starts-a-year-after-it-ends.ttl": {
        ("azsh:DatesInOrderShape", "conflict:second-karabakh-war"),
    },
    "DatesInOrderShape/invalid-pipeline-enters-service-before-construction.ttl": {
        ("azsh:DatesInOrderShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "DatesInOrderShape/invalid-start-after-end-without-precision.ttl": {
        ("azsh:DatesInOrderShape", "conflict:second-karabakh-war"),
    },
    "DatesInOrderShape/invalid-tenure-starts-after-it-ends-same-year.ttl": {
        ("azsh:DatesInOrderShape", "tenure:ilham-aliyev-president-of-azerbaijan"),
    },
    "EventShape/invalid-location-is-a-person.ttl": {
        ("azsh:EventShape", "event:shusha-summit"),
    },
    "EventShape/invalid-organizer-is-an-agreement.ttl": {
        ("azsh:EventShape", "event:shusha-summit"),
    },
    "EventShape/invalid-participant-is-a-place.ttl": {
        ("azsh:EventShape", "event:shusha-summit"),
    },
    "EventShape/invalid-point-in-time-not-datetime.ttl": {
        ("azsh:EventShape", "event:shusha-summit"),
    },
    "EvidenceShape/invalid-empty-quote.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-line-number-zero.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-negative-start-offset.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-offset-not-an-integer.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-quoted-from-not-a-source-document.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e2"),
    },
    "EvidenceShape/invalid-start-offset-after-end-offset.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-start-offset-equal-to-end-offset.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-two-quote-texts.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-without-line-number.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "EvidenceShape/invalid-without-quoted-from.ttl": {
        ("azsh:EvidenceShape", "evidence:fixture-e1"),
    },
    "IdeaShape/invalid-attributed-to-a-place.ttl": {
        ("azsh:IdeaShape", "idea:one-nation-two-states"),
    },
    "IndividualShape/invalid-english-and-british-english-labels.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-entity-with-only-a-turkish-label.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-entity-with-two-english-labels.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-entity-without-any-label.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-evidence-individual-without-label.ttl": {
        ("azsh:IndividualShape", "evidence:fixture-e1"),
    },
    "IndividualShape/invalid-fact-whose-axiom-names-no-evidence.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
        ("azsh:AxiomShape", "axiom:membership"),
    },
    "IndividualShape/invalid-fact-without-evidence.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-label-without-language-tag.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "IndividualShape/invalid-non-english-label-without-evidence.ttl": {
        ("azsh:IndividualShape", "state:azerbaijan"),
    },
    "InfrastructureShape/invalid-built-by-a-place.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-ends-at-a-person.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-length-not-decimal.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-negative-length.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-pipeline-with-two-lengths.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-transit-state-is-a-place.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-two-service-entry-dates.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-two-start-points.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "InfrastructureShape/invalid-zero-length.ttl": {
        ("azsh:InfrastructureShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "NamedEntityShape/invalid-every-named-kind-without-name-as-written.ttl": {
        ("azsh:NamedEntityShape", "agreement:shusha-declaration"),
        ("azsh:NamedEntityShape", "conflict:second-karabakh-war"),
        ("azsh:NamedEntityShape", "event:fall-of-the-soviet-union"),
        ("azsh:NamedEntityShape", "event:turkey-recognises-azerbaijan"),
        ("azsh:NamedEntityShape", "idea:one-nation-two-states"),
        ("azsh:NamedEntityShape", "infrastructure:kars-igdir-nakhchivan-railway"),
        ("azsh:NamedEntityShape", "office:president-of-azerbaijan"),
        ("azsh:NamedEntityShape", "org:new-azerbaijan-party"),
        ("azsh:NamedEntityShape", "org:socar"),
        ("azsh:NamedEntityShape", "person:heydar-aliyev"),
        ("azsh:NamedEntityShape", "pipeline:baku-tbilisi-ceyhan"),
        ("azsh:NamedEntityShape", "place:baku"),
        ("azsh:NamedEntityShape", "state:azerbaijan"),
        ("azsh:NamedEntityShape", "state:turkey"),
        ("azsh:NamedEntityShape", "work:one-nation-two-states-speech"),
    },
    "NamedEntityShape/invalid-name-as-written-without-language-tag.ttl": {
        ("azsh:NamedEntityShape", "place:baku"),
    },
    "NamedEntityShape/invalid-person-without-name-as-written.ttl": {
        ("azsh:NamedEntityShape", "person:heydar-aliyev"),
    },
    "OfficeShape/invalid-office-of-a-place.ttl": {
        ("azsh:OfficeShape", "office:mayor-of-baku"),
    },
    "OrganizationShape/invalid-managed-by-a-state.ttl": {
        ("azsh:OrganizationShape", "org:socar"),
    },
    "OrganizationShape/invalid-owner-is-a-place.ttl": {
        ("azsh:OrganizationShape", "org:socar"),
    },
    "OrganizationShape/invalid-party-located-in-a-person.ttl": {
        ("azsh:OrganizationShape", "org:new-azerbaijan-party"),
    },
    "OrganizationShape/invalid-two-inception-dates.ttl": {
        ("azsh:OrganizationShape", "org:socar"),
    },
    "PersonShape/invalid-affiliated-with-a-place.ttl": {
        ("azsh:PersonShape", "person:heydar-aliyev"),
    },
    "PersonShape/invalid-associate-is-a-state.ttl": {
        ("azsh:PersonShape", "person:heydar-aliyev"),
    },
    "PersonShape/invalid-citizen-of-an-organization.ttl": {
        ("azsh:PersonShape", "person:heydar-aliyev"),
    },
    "PersonShape/invalid-held-position-is-an-office.ttl": {
        ("azsh:PersonShape", "person:heydar-aliyev"),
    },
    "PersonShape/invalid-occupation-without-language-tag.ttl": {
        ("azsh:PersonShape", "person:heydar-aliyev"),
    },
    "PipelineShape/invalid-capacity-not-decimal.ttl": {
        ("azsh:PipelineShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "PipelineShape/invalid-two-capacities.ttl": {
        ("azsh:PipelineShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "PipelineShape/invalid-zero-capacity.ttl": {
        ("azsh:PipelineShape", "pipeline:baku-tbilisi-ceyhan"),
    },
    "PlaceShape/invalid-located-in-an-organization.ttl": {
        ("azsh:PlaceShape", "place:baku"),
    },
    "PlaceShape/invalid-place-located-in-itself.ttl": {
        ("azsh:PlaceShape", "place:shusha"),
    },
    "PlaceShape/invalid-places-located-in-each-other.ttl": {
        ("azsh:PlaceShape", "place:karabakh"),
        ("azsh:PlaceShape", "place:shusha"),
    },
    "RecognitionShape/invalid-recognition-order-zero.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "RecognitionShape/invalid-recognized-state-is-an-organization.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "RecognitionShape/invalid-state-recognises-itself.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "RecognitionShape/invalid-two-recognizing-states.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "RecognitionShape/invalid-without-recognized-state.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "RecognitionShape/invalid-without-recognizing-state.ttl": {
        ("azsh:RecognitionShape", "event:turkey-recognises-azerbaijan"),
    },
    "SourceDocumentShape/invalid-publication-date-not-datetime.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-sha256-too-short.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-sha256-uppercase.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-two-languages.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-two-titles.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-without-creator.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-without-publisher.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-without-seed-file.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-without-sha256.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "SourceDocumentShape/invalid-without-title.ttl": {
        ("azsh:SourceDocumentShape", "source:fixture"),
    },
    "StateShape/invalid-inception-not-datetime.ttl": {
        ("azsh:StateShape", "state:azerbaijan"),
    },
    "StateShape/invalid-member-of-a-person.ttl": {
        ("azsh:StateShape", "state:azerbaijan"),
    },
    "StateShape/invalid-party-to-a-state.ttl": {
        ("azsh:StateShape", "state:azerbaijan"),
    },
    "StateShape/invalid-two-inception-dates.ttl": {
        ("azsh:StateShape", "state:azerbaijan"),
    },
    "StatisticShape/invalid-neither-quantity-nor-rank.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "StatisticShape/invalid-quantity-not-decimal.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "StatisticShape/invalid-quantity-without-unit.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "StatisticShape/invalid-rank-zero.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "StatisticShape/invalid-two-quantities.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "StatisticShape/invalid-without-about.ttl": {
        ("azsh:StatisticShape", "statistic:turkish-investment-in-azerbaijan"),
    },
    "SupplyShape/invalid-commodity-without-language-tag.ttl": {
        ("azsh:SupplyShape", "supply:azerbaijani-gas-to-turkey"),
    },
    "SupplyShape/invalid-recipient-is-a-place.ttl": {
        ("azsh:SupplyShape", "supply:azerbaijani-gas-to-turkey"),
    },
    "SupplyShape/invalid-via-a-state.ttl": {
        ("azsh:SupplyShape", "supply:azerbaijani-gas-to-turkey"),
    },
    "SupplyShape/invalid-without-commodity.ttl": {
        ("azsh:SupplyShape", "supply:azerbaijani-gas-to-turkey"),
    },
    "SupplyShape/invalid-without-supplier.ttl": {
        ("azsh:SupplyShape", "supply:azerbaijani-gas-to-turkey"),
    },
    "TenureShape/invalid-end-time-not-datetime.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-holder-is-a-state.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-office-is-an-organization.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-two-holders.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-two-start-times.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-without-holder.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "TenureShape/invalid-without-office.ttl": {
        ("azsh:TenureShape", "tenure:heydar-aliyev-president-of-azerbaijan"),
    },
    "WorkShape/invalid-attributed-to-a-work.ttl": {
        ("azsh:WorkShape", "work:one-nation-two-states-speech"),
    },
    "WorkShape/invalid-published-in-a-person.ttl": {
        ("azsh:WorkShape", "work:one-nation-two-states-speech"),
    },
    "WorkShape/invalid-two-publication-dates.ttl": {
        ("azsh:WorkShape", "work:one-nation-two-states-speech"),
    },
}

# Fixtures that show a shape bug (see the reason): they fail today, and must start passing, with
# the marker removed, once the shape is fixed (strict xfail).
SHAPE_BUGS: dict[str, str] = {}


def _fixture_names(kind: str) -> list[str]:
    return sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob(f"*/{kind}-*.ttl"))


def _params(names: list[str]) -> list[Any]:
    return [
        pytest.param(
            name,
            id=name.removesuffix(".ttl"),
            marks=[pytest.mark.xfail(strict=True, reason=SHAPE_BUGS[name])]
            if name in SHAPE_BUGS
            else [],
        )
        for name in names
    ]


VALID = _fixture_names("valid")
INVALID = _fixture_names("invalid")


def _expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return CURIE_PREFIXES[prefix] + local


def _focus(node: object) -> str:
    return str(node) if isinstance(node, URIRef) else f"(blank node {node})"


def _describe(report: Report) -> str:
    return "\n".join(
        f"  {r.severity} {r.source} {_focus(r.focus)} path={r.path} value={r.value}: {r.message}"
        for r in report.results
    )


@pytest.fixture(scope="module", autouse=True)
def _reuse_parsed_sparql() -> Iterator[None]:
    """Parse each SHACL-SPARQL query once per module instead of once per focus node.

    pySHACL hands rdflib the same query text for every focus node, and rdflib re-parses it each
    time (about 0.1 s a parse): without this the suite takes minutes. The translated query is
    what ``rdflib.plugins.sparql.prepareQuery`` returns, built for re-use with other bindings.
    """
    original = sparql_processor.SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, str], ...]], Any] = {}

    def query(
        self: Any,
        query: Any,
        init_bindings: Any = None,
        init_ns: Any = None,
        base: str | None = None,
        debug: bool = False,
    ) -> Any:
        if isinstance(query, str):
            key = (query, base, tuple(sorted((k, str(v)) for k, v in (init_ns or {}).items())))
            if key not in prepared:
                prepared[key] = sparql_processor.translateQuery(  # type: ignore[attr-defined]
                    sparql_processor.parseQuery(query),  # type: ignore[attr-defined]
                    base,
                    init_ns,
                )
            query = prepared[key]
        return original(self, query, init_bindings, init_ns, base, debug)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sparql_processor.SPARQLProcessor, "query", query)
        yield


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(SHAPES_DIR)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ONTOLOGY_FILE)


def _data(name: str, ontology: Graph) -> Graph:
    data = new_graph()
    data += ontology
    return parse_turtle(FIXTURES / name, data)


def _validate(name: str, shapes: Graph, ontology: Graph) -> Report:
    return validate_graph(_data(name, ontology), shapes)


def _declared_shapes(shapes: Graph) -> set[str]:
    return {
        str(s).removeprefix(str(AZSH))
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and str(s).startswith(str(AZSH))
    }


@pytest.mark.parametrize("name", _params(VALID))
def test_valid_fixture_conforms_with_no_results(name: str, shapes: Graph, ontology: Graph) -> None:
    report = _validate(name, shapes, ontology)
    assert report.conforms, f"{name} should conform:\n{_describe(report)}"
    assert report.results == [], f"{name} should give no results:\n{_describe(report)}"


@pytest.mark.parametrize("name", _params(INVALID))
def test_invalid_fixture_reports_exactly_the_expected_shapes_and_focus_nodes(
    name: str, shapes: Graph, ontology: Graph
) -> None:
    report = _validate(name, shapes, ontology)
    expected = {(source, _expand(focus)) for source, focus in EXPECTED[name]}
    actual = {(r.source, _focus(r.focus)) for r in report.errors}
    assert not report.conforms, f"{name} should not conform"
    assert actual == expected, f"{name} gave:\n{_describe(report)}"
    assert len(report.errors) == len(report.results), f"non-errors:\n{_describe(report)}"


def test_every_invalid_fixture_has_an_expectation_and_every_expectation_a_fixture() -> None:
    assert set(INVALID) == set(EXPECTED)
    assert all(EXPECTED.values()), "an invalid fixture must expect at least one error"
    assert set(SHAPE_BUGS) <= set(VALID) | set(INVALID)


def test_every_declared_shape_is_shown_able_to_fail(shapes: Graph) -> None:
    shown = {
        source.removeprefix("azsh:")
        for name, pairs in EXPECTED.items()
        if name not in SHAPE_BUGS
        for source, _focus_curie in pairs
    }
    assert _declared_shapes(shapes) - shown == set()
    assert shown - _declared_shapes(shapes) == set(), "expectation names an unknown shape"


def test_every_declared_shape_has_a_valid_fixture_that_exercises_it(
    shapes: Graph, ontology: Graph
) -> None:
    """A valid fixture holds a node its shape targets, so its conforming means something."""
    missing = []
    for shape in sorted(_declared_shapes(shapes)):
        names = [n for n in VALID if n.startswith(f"{shape}/") and n not in SHAPE_BUGS]
        node = AZSH[shape]
        if not any(_targets(node, shapes, _data(n, ontology)) for n in names):
            missing.append(shape)
    assert missing == []


def _targets(shape: URIRef, shapes: Graph, data: Graph) -> set[object]:
    nodes: set[object] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        classes = set(data.transitive_subjects(RDFS.subClassOf, cls))
        nodes |= {s for c in classes for s in data.subjects(RDF.type, c)}
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(prop, None))
    return nodes


def test_fixture_folders_are_named_after_declared_shapes(shapes: Graph) -> None:
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders - _declared_shapes(shapes) == set()
    strays = [
        p.relative_to(FIXTURES).as_posix()
        for p in FIXTURES.rglob("*")
        if p.is_file() and not (p.suffix == ".ttl" and p.name.startswith(("valid-", "invalid-")))
    ]
    assert strays == []


@pytest.mark.parametrize("name", VALID + INVALID)
def test_fixture_starts_with_the_shared_prefix_header(name: str) -> None:
    assert (FIXTURES / name).read_text(encoding="utf-8").startswith(HEADER)
