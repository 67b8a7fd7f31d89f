"""HermiT and Pellet (through owlready2) on the real graph and on a contradictory fixture."""

from __future__ import annotations

from pathlib import Path

from azgraph.owl.reason import reason
from azgraph.project import Project
from azgraph.rdf.store import graph_files

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "owl"


def test_both_reasoners_find_the_real_graph_consistent_and_satisfiable() -> None:
    results = reason(graph_files(Project.at(REPO)))
    assert [r.reasoner for r in results] == ["hermit", "pellet"]
    for result in results:
        assert result.consistent, result.explanation
        assert result.unsatisfiable == ()


def test_an_individual_that_is_both_a_state_and_a_person_is_inconsistent() -> None:
    results = reason([ONTOLOGY, FIXTURES / "disjointness-clash.ttl"])
    assert [(r.reasoner, r.consistent) for r in results] == [("hermit", False), ("pellet", False)]


def test_the_valid_fixture_is_consistent() -> None:
    results = reason([ONTOLOGY, FIXTURES / "valid.ttl"], ("hermit",))
    assert results[0].ok
