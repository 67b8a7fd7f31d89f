"""Dates settled across facts and files (build/datefacts.py): one value, every source's evidence.

Two facts giving one date at different precisions for the same subject and property become one
value (the more precise) with both axioms; dates that do not overlap stay apart and are marked
disputed. Every date axiom carries its period's bounds.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from azgraph.build.compile import build_graphs, compile_project
from azgraph.build.datefacts import DateClaim, DateTable
from azgraph.errors import CurationError
from azgraph.project import Project
from azgraph.rdf.dates import parse_date
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.triples import TripleSet

if TYPE_CHECKING:
    from rdflib.term import Node
from tests.conftest import make_project

WAR = URIRef("https://w3id.org/azgraph/id/conflict/second-nagorno-karabakh-war")
BTC = URIRef("https://w3id.org/azgraph/id/pipeline/baku-tbilisi-ceyhan")


def add_facts(root: Path, *lines: str) -> None:
    """Append facts to the mini fixture's curated file (its facts come last), each marked as a
    date its quote does not state, so that the build's value check lets the test's dates in."""
    path = root / "curated" / "cemeri-2022.yaml"
    text = path.read_text(encoding="utf-8")
    marker = ', derived: {kind: computed, why: "a date the test gives"}}'
    added = "".join(f"  - {line.removesuffix('}')}{marker}\n" for line in lines)
    path.write_text(text + added, encoding="utf-8")


def dated(year: str) -> Literal:
    return Literal(year, datatype=XSD.dateTime)


def axioms(graph: TripleSet, s: URIRef, p: URIRef) -> list[Node]:
    return sorted(
        (
            a
            for a in graph.subjects(OWL.annotatedSource, s)
            if graph.value(a, OWL.annotatedProperty) == p
        ),
        key=str,
    )


def test_a_year_only_date_has_the_whole_year_as_its_bounds(project: Path) -> None:
    graph = compile_project(Project.at(project))["cemeri-2022"]
    [axiom] = axioms(graph, BTC, AZ.constructionStart)
    assert graph.value(axiom, OWL.annotatedTarget) == dated("2003-01-01T00:00:00")
    assert graph.value(axiom, AZ.datePrecision) == Literal("year")
    assert graph.value(axiom, AZ.earliest) == dated("2003-01-01T00:00:00")
    assert graph.value(axiom, AZ.latest) == dated("2003-12-31T23:59:59")


def test_a_year_and_a_day_within_it_give_one_value_with_both_evidences(project: Path) -> None:
    add_facts(
        project,
        '{s: conflict:second-nagorno-karabakh-war, p: endTime, v: "2020", ev: cemeri-2022-e001}',
        '{s: conflict:second-nagorno-karabakh-war, p: endTime, v: "2020-11-10", '
        "ev: cemeri-2022-e002}",
    )
    graph = compile_project(Project.at(project))["cemeri-2022"]
    assert list(graph.objects(WAR, AZ.endTime)) == [dated("2020-11-10T00:00:00")]
    found = axioms(graph, WAR, AZ.endTime)
    assert len(found) == 2
    for axiom in found:
        assert graph.value(axiom, OWL.annotatedTarget) == dated("2020-11-10T00:00:00")
        assert graph.value(axiom, AZ.datePrecision) == Literal("day")
        assert graph.value(axiom, AZ.earliest) == dated("2020-11-10T00:00:00")
        assert graph.value(axiom, AZ.latest) == dated("2020-11-10T23:59:59")
    stated = {str(graph.value(a, AZ.evidence)): graph.value(a, AZ.statedPrecision) for a in found}
    assert stated == {
        "https://w3id.org/azgraph/id/evidence/cemeri-2022-e001": Literal("year"),
        "https://w3id.org/azgraph/id/evidence/cemeri-2022-e002": None,
    }


def test_dates_that_do_not_overlap_both_stay_and_are_marked_disputed(project: Path) -> None:
    add_facts(
        project,
        '{s: conflict:second-nagorno-karabakh-war, p: endTime, v: "2019", ev: cemeri-2022-e001}',
        '{s: conflict:second-nagorno-karabakh-war, p: endTime, v: "2020-11", ev: cemeri-2022-e002}',
    )
    graph = compile_project(Project.at(project))["cemeri-2022"]
    assert sorted(graph.objects(WAR, AZ.endTime), key=str) == [
        dated("2019-01-01T00:00:00"),
        dated("2020-11-01T00:00:00"),
    ]
    found = axioms(graph, WAR, AZ.endTime)
    assert [graph.value(a, AZ.claimStatus) for a in found] == [Literal("disputed")] * 2
    notes = sorted(str(graph.value(a, SKOS.editorialNote)) for a in found)
    assert "2019 (cemeri-2022-e001)" in notes[0] + notes[1]
    assert "2020-11 (cemeri-2022-e002)" in notes[0] + notes[1]


def test_a_contradicted_date_already_marked_inferred_must_be_decided_by_hand(
    project: Path,
) -> None:
    add_facts(
        project,
        '{s: conflict:second-nagorno-karabakh-war, p: startTime, v: "2019", ev: cemeri-2022-e002}',
    )
    with pytest.raises(CurationError, match=r"2020 contradicts 2019 \(cemeri-2022-e002\)") as err:
        compile_project(Project.at(project))
    assert err.value.line is not None and "status: disputed" in str(err.value.hint)


def test_settling_does_not_depend_on_the_order_of_the_facts() -> None:
    claims = [
        DateClaim("conflict:x", "endTime", parse_date(text), (f"s-e{i:03d}",))
        for i, text in enumerate(["2020", "2020-11", "2020-11-09", "2019", "2020"])
    ]
    signatures = set()
    for seed in range(5):
        random.Random(seed).shuffle(claims)
        signatures.add(tuple(DateTable(claims).signature(sorted(claims))))
    assert len(signatures) == 1
    settled = DateTable(claims).settle("conflict:x", "endTime", parse_date("2020"))
    assert str(settled.period) == "2020-11-09"
    assert [str(d.period) for d in settled.disputed_by] == ["2019"]


def test_two_refinements_that_exclude_each_other_leave_the_coarse_date_alone() -> None:
    claims = [
        DateClaim("conflict:x", "endTime", parse_date(text), ("s-e001",))
        for text in ["2020", "2020-03", "2020-11"]
    ]
    settled = DateTable(claims).settle("conflict:x", "endTime", parse_date("2020"))
    assert str(settled.period) == "2020" and settled.disputed_by == ()


def test_a_cached_seed_follows_a_date_changed_in_another_file(
    tmp_path: Path, cache_root: Path
) -> None:
    root = make_project(tmp_path / "a", None)
    build_graphs(Project.at(root))
    path = root / "curated" / "cemeri-2022.yaml"
    old = 'p: endTime, v: "2020-11-09"'
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, 'p: endTime, v: "2020-11-10"'), encoding="utf-8")
    result = build_graphs(Project.at(root))
    # ocmedia-2021 says only "2020": its file states the day cemeri-2022 now gives
    assert result.compiled == ["cemeri-2022", "ocmedia-2021"]
    ocmedia = (root / "data" / "ocmedia-2021.ttl").read_text(encoding="utf-8")
    assert '"2020-11-10T00:00:00"^^xsd:dateTime' in ocmedia

    full = make_project(tmp_path / "b", None)
    shutil.copyfile(path, full / "curated" / "cemeri-2022.yaml")
    build_graphs(Project.at(full), use_cache=False)
    for name in ("cemeri-2022.ttl", "ocmedia-2021.ttl"):
        assert (root / "data" / name).read_bytes() == (full / "data" / name).read_bytes()
