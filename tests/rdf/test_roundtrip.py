"""Tricky literals survive every release format: Turtle, N-Triples, JSON-LD and RDF/XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from azgraph.publish.exporters import EXPORTERS
from azgraph.rdf.namespaces import AZ, new_graph

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
# XML 1.0 cannot carry most control characters, so RDF/XML output would be refused by any
# parser; the strategy keeps to the characters that azgraph's sources can contain.
TEXT = st.text(
    alphabet=st.sampled_from(list("ıİşŞğĞəƏçÇöÖüÜ \"'\\\n\t<>{}&;#@aZ09—“”’…")), max_size=300
)


@pytest.mark.parametrize("name", sorted(EXPORTERS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, lang=st.sampled_from(["en", "tr", "az", None]), long_text=st.booleans())
def test_tricky_literals_round_trip_through_every_format(
    name: str, text: str, lang: str | None, long_text: bool
) -> None:
    value = text * 50 if long_text else text
    graph = new_graph()
    subject = URIRef("https://w3id.org/azgraph/id/person/ilham-aliyev")
    graph.add((subject, AZ.claimText, Literal(value, lang=lang)))
    graph.add((subject, AZ.lengthKm, Literal("1768.5", datatype=XSD.decimal)))
    exporter = EXPORTERS[name]
    data = exporter.serialize(graph)
    exporter.verify(data, len(graph), Path("<memory>"))  # pyoxigraph re-reads it strictly
    again = new_graph().parse(data=data, format=RDFLIB_FORMAT[name])
    assert isomorphic(graph, again)
    assert exporter.serialize(again) == data  # byte-identical after a round trip
