"""The writer: deterministic bytes and atomic replacement."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from azgraph.errors import InputError
from azgraph.rdf.namespaces import AZ, new_graph
from azgraph.rdf.turtle import (
    check_turtle_strict,
    parse_turtle,
    to_turtle,
    write_atomic,
    write_turtle,
)

S = "https://w3id.org/azgraph/id/state/"


def sample_triples() -> list[tuple[Node, Node, Node]]:
    triples: list[tuple[Node, Node, Node]] = []
    for i in range(30):
        s, o = URIRef(f"{S}s{i}"), URIRef(f"{S}s{(i + 1) % 30}")
        axiom = BNode()
        triples += [
            (s, AZ.allyOf, o),
            (axiom, RDF.type, OWL.Axiom),
            (axiom, OWL.annotatedSource, s),
            (axiom, OWL.annotatedProperty, AZ.allyOf),
            (axiom, OWL.annotatedTarget, o),
            (axiom, AZ.quote, Literal(f"quote {i} ı ə")),
        ]
    return triples


def test_output_is_identical_whatever_the_insertion_order() -> None:
    outputs = set()
    for seed in range(5):
        triples = sample_triples()
        random.Random(seed).shuffle(triples)
        graph = new_graph()
        for t in triples:
            graph.add(t)
        outputs.add(to_turtle(graph))
    assert len(outputs) == 1
    text = outputs.pop()
    assert text.endswith("\n") and "\r" not in text


tricky = st.text(alphabet=st.sampled_from(list("ıİşğəƏçöü\"'\\\n\t <>{}aZ09—“”")), max_size=200)


@settings(max_examples=60, deadline=None)
@given(tricky, st.sampled_from(["en", "tr", "az", None]))
def test_tricky_literals_round_trip(text: str, lang: str | None) -> None:
    graph = new_graph()
    graph.add((URIRef(f"{S}x"), AZ.claimText, Literal(text, lang=lang)))
    turtle = to_turtle(graph)
    check_turtle_strict(turtle.encode(), "<test>")
    assert isomorphic(graph, Graph().parse(data=turtle, format="turtle"))


def test_failed_verification_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old\n", encoding="utf-8")

    def reject(_: bytes) -> None:
        raise InputError("bad")

    with pytest.raises(InputError):
        write_atomic(target, "new\n", verify=reject)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.ttl"]


def test_invalid_turtle_is_never_written(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid Turtle"):
        write_atomic(target, "<a> <b> .\n", verify=lambda d: check_turtle_strict(d, target))
    assert target.read_text(encoding="utf-8") == "old\n"


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    graph = new_graph()
    graph.add((URIRef(f"{S}a"), AZ.allyOf, URIRef(f"{S}b")))
    target = tmp_path / "g.ttl"
    assert write_turtle(target, graph) is True
    mtime = target.stat().st_mtime_ns
    assert write_turtle(target, graph) is False
    assert target.stat().st_mtime_ns == mtime


def test_parse_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', "utf-8")
    with pytest.raises(InputError, match=r"bad.ttl:3: invalid Turtle"):
        parse_turtle(bad)
