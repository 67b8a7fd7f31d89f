"""The ontology file itself: datatypes every reasoner knows, labels and definitions."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"
ONTOLOGY_NS = "https://w3id.org/azgraph/ontology#"

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): the datatypes HermiT and
# Pellet must accept. rdf:langString and xsd:date are not in it.
OWL2_DATATYPES = {
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    RDFS.Literal,
    OWL.real,
    OWL.rational,
    *(
        URIRef(f"http://www.w3.org/2001/XMLSchema#{name}")
        for name in (
            "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger "
            "negativeInteger long int short byte unsignedLong unsignedInt unsignedShort "
            "unsignedByte double float string normalizedString token language Name NCName "
            "NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
        ).split()
    ),
}


def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def test_every_data_property_range_is_in_the_owl2_datatype_map() -> None:
    graph = ontology()
    ranges = {
        (prop, rng)
        for prop in graph.subjects(RDF.type, OWL.DatatypeProperty)
        for rng in graph.objects(prop, RDFS.range)
    }
    assert ranges
    outside = sorted((str(p), str(r)) for p, r in ranges if r not in OWL2_DATATYPES)
    assert outside == []
    assert (URIRef(f"{ONTOLOGY_NS}purpose"), RDF.PlainLiteral) in ranges


TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
REVIEW = "Turkish and Azerbaijani labels need review by a native speaker."


def terms(graph: Graph) -> list[URIRef]:
    found = {t for kind in TERM_KINDS for t in graph.subjects(RDF.type, kind)}
    return sorted(t for t in found if isinstance(t, URIRef))


def test_every_term_has_one_label_in_english_turkish_and_azerbaijani() -> None:
    graph = ontology()
    assert len(terms(graph)) > 100
    for term in terms(graph):
        languages = sorted(
            o.language or "" for o in graph.objects(term, RDFS.label) if isinstance(o, Literal)
        )
        assert languages == ["az", "en", "tr"], term


def test_every_term_has_an_english_skos_definition_sentence() -> None:
    graph = ontology()
    for term in terms(graph):
        definitions = [
            str(o)
            for o in graph.objects(term, SKOS.definition)
            if isinstance(o, Literal) and o.language == "en"
        ]
        assert len(definitions) == 1, term
        assert definitions[0][0].isupper() and definitions[0].endswith("."), term


def test_no_two_terms_share_a_label_in_a_language() -> None:
    graph = ontology()
    owners: dict[tuple[str, str], list[URIRef]] = {}
    for term in terms(graph):
        for label in graph.objects(term, RDFS.label):
            assert isinstance(label, Literal)
            owners.setdefault((str(label).casefold(), label.language or ""), []).append(term)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
    office = URIRef(f"{ONTOLOGY_NS}office")
    assert {str(o) for o in graph.objects(office, RDFS.label)} >= {"office held"}


def test_labels_awaiting_review_say_so_in_the_agreed_words() -> None:
    graph = ontology()
    notes = [str(o) for t in terms(graph) for o in graph.objects(t, SKOS.editorialNote)]
    flagged = [n for n in notes if "native speaker" in n]
    assert flagged and set(flagged) == {REVIEW}


def test_the_ontology_version_is_the_release_version() -> None:
    from azgraph import __version__

    graph = ontology()
    header = URIRef("https://w3id.org/azgraph/ontology")
    assert str(graph.value(header, OWL.versionInfo)) == __version__
    assert graph.value(header, OWL.versionIRI) == URIRef(f"{header}/{__version__}")
