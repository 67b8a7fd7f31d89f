"""The store rewrites typed literals by value (#17): how, per predicate, and which shapes the
fast engine then leaves to pySHACL, whose results on the original graph are the oracle."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, URIRef

from azgraph.check.validate import Report, load_shapes, validate_graph
from azgraph.rdf.store import DATATYPE, LEXICAL, MERGE, load_labelled, rewrites_in, rewritten_in

PREFIXES = """@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# "1.50" under ex:a alone (respelled), and under ex:b beside "1.5" (respelled and merged):
# ex:a comes first, so a record keyed by the literal kept only ex:b's use of it
DATA = """ex:x ex:a "1.50"^^xsd:decimal .
ex:y ex:b "1.50"^^xsd:decimal, "1.5"^^xsd:decimal .
ex:z ex:c "7"^^xsd:int .
"""
SHAPES = r"""ex:Spelling a sh:NodeShape ; sh:targetNode ex:x ;
    sh:property [ sh:path ex:a ; sh:pattern "^1\\.50$" ] .
ex:Count a sh:NodeShape ; sh:targetNode ex:y ; sh:property [ sh:path ex:b ; sh:maxCount 1 ] .
ex:Value a sh:NodeShape ; sh:targetNode ex:x ;
    sh:property [ sh:path ex:a ; sh:minInclusive 2 ; sh:maxCount 1 ] .
ex:Type a sh:NodeShape ; sh:targetNode ex:z ; sh:property [ sh:path ex:c ; sh:datatype xsd:int ] .
"""
EX = "http://example.org/ns#"


def _quads() -> list[ox.Quad]:
    return [
        ox.Quad(t.subject, t.predicate, t.object)
        for t in ox.parse(PREFIXES + DATA, format=ox.RdfFormat.TURTLE)
    ]


def test_a_literal_under_two_predicates_is_recorded_for_both() -> None:
    assert rewritten_in(_quads()) == {EX + "a", EX + "b", EX + "c"}
    assert rewrites_in(_quads()) == {
        EX + "a": {LEXICAL},
        EX + "b": {LEXICAL, MERGE},
        EX + "c": {DATATYPE},
    }


def _validate(tmp_path: Path) -> Report:
    data_file = tmp_path / "data.ttl"
    data_file.write_text(PREFIXES + DATA, encoding="utf-8")
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "shapes.ttl").write_text(PREFIXES + SHAPES, encoding="utf-8")
    store, _ = load_labelled([data_file])
    return validate_graph(None, load_shapes(tmp_path / "shapes"), store=store)


def test_validate_agrees_with_pyshacl_and_refuses_only_what_a_rewrite_breaks(
    tmp_path: Path,
) -> None:
    report = _validate(tmp_path)
    data = Graph().parse(data=PREFIXES + DATA, format="turtle")
    shapes = Graph().parse(data=PREFIXES + SHAPES, format="turtle")
    _, oracle, _ = pyshacl.validate(data, shacl_graph=shapes)
    sh = "http://www.w3.org/ns/shacl#"
    found = sorted((r.focus, r.component.rsplit("#")[-1]) for r in report.results)
    wanted = sorted(
        (
            oracle.value(r, _sh(sh, "focusNode")),
            str(oracle.value(r, _sh(sh, "sourceConstraintComponent"))).rsplit("#")[-1],
        )
        for r in oracle.subjects(_sh(sh, "resultSeverity"), None)
    )
    assert (
        found
        == wanted
        == [
            (URIRef(EX + "x"), "MinInclusiveConstraintComponent"),
            (URIRef(EX + "y"), "MaxCountConstraintComponent"),
        ]
    )
    assert [f.split(">:")[0] for f in report.fallbacks] == [
        f"<{EX}Count",
        f"<{EX}Spelling",
        f"<{EX}Type",
    ]  # ex:Value reads ex:a by value and count, which respelling "1.50" does not change


def _sh(namespace: str, name: str) -> URIRef:
    return URIRef(namespace + name)
