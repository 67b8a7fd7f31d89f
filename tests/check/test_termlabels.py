"""Lint's check for labels shared by terms of different kinds, in any language."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from azgraph.check.termlabels import cross_kind_labels
from azgraph.cli.main import cli
from azgraph.project import Project
from azgraph.rdf.namespaces import short
from azgraph.rdf.store import graph_files, load_oxigraph

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "cross-kind-label.ttl"


def test_the_real_graph_has_no_label_shared_across_kinds() -> None:
    assert cross_kind_labels(load_oxigraph(graph_files(Project.at(REPO)))) == []


def test_a_label_shared_across_kinds_is_found_in_each_language() -> None:
    findings = [(short(f), m) for f, m in cross_kind_labels(load_oxigraph([ONTOLOGY, FIXTURE]))]
    assert {focus for focus, _ in findings} == {"az:Seat", "az:seat", "az:chair", "work:sandalye"}
    messages = dict(findings)
    assert messages["az:Seat"] == (
        "the class's label 'seat'@en is also that of az:seat (object property); "
        "make the labels distinct"
    )
    assert "'sandalye'@tr is also that of work:sandalye (individual)" in messages["az:chair"]


def test_lint_reports_the_clash(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("ontology", "curated", "data"):
        (root / folder).mkdir(parents=True)
    shutil.copy(ONTOLOGY, root / "ontology" / "azgraph.ttl")
    shutil.copytree(REPO / "lint", root / "lint")
    shutil.copy(FIXTURE, root / "data" / "clash.ttl")
    result = CliRunner().invoke(cli, ["lint", "--project", str(root)])
    assert "cross-kind-label: Terms of different kinds" in result.output
    assert "az:seat: the object property's label 'seat'@en is also that of az:Seat" in result.output
