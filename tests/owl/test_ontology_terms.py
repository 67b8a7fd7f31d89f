"""The ontology file itself: datatypes every reasoner knows, labels and definitions."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

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
        XSD[name]
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
