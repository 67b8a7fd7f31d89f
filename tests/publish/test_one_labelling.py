"""Issue #17 item 4: the Turtle writer, the Protégé export and the release dumps name a blank
node the same way (`rdf.bnodes`), so one node has one label in every file made from a graph."""

from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from azgraph.owl.protege import to_rdfxml
from azgraph.publish.exporters import canonical
from azgraph.rdf.bnodes import content_labels
from azgraph.rdf.turtle import to_turtle

EX = "https://example.org/"


def _axiom_graph() -> Graph:
    graph = Graph()
    axiom = BNode()
    graph.add((URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")))
    graph.add((axiom, RDF.type, OWL.Axiom))
    graph.add((axiom, OWL.annotatedSource, URIRef(EX + "a")))
    graph.add((axiom, OWL.annotatedProperty, URIRef(EX + "p")))
    graph.add((axiom, OWL.annotatedTarget, URIRef(EX + "b")))
    graph.add((axiom, RDFS.comment, Literal("said so")))
    return graph


def _ring(size: int, name: str) -> Graph:
    """A cycle of blank nodes: the content hash cannot name it."""
    graph = Graph()
    nodes = [BNode() for _ in range(size)]
    for i, node in enumerate(nodes):
        graph.add((node, URIRef(EX + "next"), nodes[(i + 1) % size]))
    graph.add((nodes[0], RDFS.label, Literal(name)))
    return graph


def _blank_labels(graph: Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, BNode)}


def test_protege_release_and_turtle_share_the_content_label() -> None:
    graph = _axiom_graph()
    labels = content_labels(list(graph))
    assert labels is not None
    (label,) = labels.values()
    assert f"_:{label} " in to_turtle(graph)
    assert re.findall(r'rdf:nodeID="([^"]*)"', to_rdfxml(graph).decode()) == [label]
    assert _blank_labels(canonical(graph)) == {label}


def test_a_ring_falls_back_to_one_label_per_graph_that_no_other_graph_shares() -> None:
    one, two = _ring(4, "one"), _ring(4, "two")
    assert content_labels(list(one)) is None
    ids = set(re.findall(r'rdf:nodeID="([^"]*)"', to_rdfxml(one).decode()))
    assert ids == _blank_labels(canonical(one))
    assert len(ids) == 4
    assert not ids & _blank_labels(canonical(two))
    same = _ring(4, "one")  # the same graph with other blank nodes: the same bytes
    assert to_rdfxml(same) == to_rdfxml(one)
