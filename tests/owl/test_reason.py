"""HermiT and Pellet (through owlready2) on the exported Protégé bundle, as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.errors import InputError
from azgraph.owl.protege import CATALOG_FILE, write_bundle
from azgraph.owl.reason import bundle_documents, reason, reason_bundle
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


def test_reason_reads_the_exported_bundle_and_leaves_every_byte(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "protege"
    exported = runner.invoke(cli, ["export", "protege", str(out), "--project", str(REPO)])
    assert exported.exit_code == 0, exported.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(cli, ["reason", "--bundle", str(out), "--project", str(REPO)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "hermit: consistent, no unsatisfiable classes",
        "pellet: consistent, no unsatisfiable classes",
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_langstring_range_is_not_patched_before_pellet_sees_it(tmp_path: Path) -> None:
    write_bundle(ONTOLOGY, [FIXTURES / "langstring-range.ttl"], tmp_path)
    results = reason_bundle(tmp_path)
    assert [(r.reasoner, r.consistent) for r in results] == [("hermit", True), ("pellet", False)]


def test_bundle_files_load_imports_first(tmp_path: Path) -> None:
    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    assert [d.path.name for d in bundle_documents(tmp_path)] == [
        "ontology.owl",
        "data.owl",
        "azgraph-all.owl",
    ]


def test_an_import_the_catalog_does_not_map_is_an_error_not_a_download(tmp_path: Path) -> None:
    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    catalog = tmp_path / CATALOG_FILE
    kept = [ln for ln in catalog.read_text().splitlines() if '"data.owl"' not in ln]
    catalog.write_text("\n".join(kept) + "\n")
    with pytest.raises(InputError, match="https://w3id.org/azgraph/data"):
        bundle_documents(tmp_path)


def test_a_folder_without_a_bundle_is_an_error(tmp_path: Path) -> None:
    shutil.copy(ONTOLOGY, tmp_path / "azgraph.ttl")
    with pytest.raises(InputError, match="no azgraph-all.owl here"):
        reason_bundle(tmp_path)


def test_an_individual_that_is_both_a_state_and_a_person_is_inconsistent() -> None:
    results = reason([ONTOLOGY, FIXTURES / "disjointness-clash.ttl"])
    assert [(r.reasoner, r.consistent) for r in results] == [("hermit", False), ("pellet", False)]


def test_the_valid_fixture_is_consistent() -> None:
    results = reason([ONTOLOGY, FIXTURES / "valid.ttl"], ("hermit",))
    assert results[0].ok
