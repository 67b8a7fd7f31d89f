"""Incremental builds (buildcache.py): only changed seeds are compiled, and the output is the
same bytes as a full build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.build.buildcache import CachedSeed
from azgraph.build.compile import build_graphs
from azgraph.cli.main import cli
from azgraph.project import Project
from tests.conftest import make_project


def _data(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").glob("*.ttl"))}


def test_a_second_build_compiles_nothing_and_writes_the_same_bytes(
    tmp_path: Path, cache_root: Path
) -> None:
    root = make_project(tmp_path, None)
    first = build_graphs(Project.at(root))
    assert first.compiled == ["cemeri-2022", "ocmedia-2021"]
    before = _data(root)
    second = build_graphs(Project.at(root))
    assert second.compiled == []
    assert all(isinstance(g, CachedSeed) for g in second.graphs.values())
    assert second.written == [] and _data(root) == before
    assert {k: len(g) for k, g in second.graphs.items()} == {
        k: len(g) for k, g in first.graphs.items()
    }


def test_after_one_seed_changes_only_it_is_compiled_and_output_equals_a_full_build(
    tmp_path: Path, cache_root: Path
) -> None:
    root = make_project(tmp_path / "a", None)
    build_graphs(Project.at(root))
    path = root / "curated" / "ocmedia-2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'v: "400000", ev: ocmedia-2021-e037, approx: "true"',
            'v: "400000", ev: ocmedia-2021-e037',
        ),
        encoding="utf-8",
    )
    assert path.read_text(encoding="utf-8") != text
    result = build_graphs(Project.at(root))
    assert result.compiled == ["ocmedia-2021"]
    assert [p.name for p in result.written] == ["ocmedia-2021.ttl"]

    full = make_project(tmp_path / "b", None)
    shutil.copyfile(path, full / "curated" / "ocmedia-2021.yaml")
    build_graphs(Project.at(full), use_cache=False)
    assert _data(root) == _data(full)


def test_editing_the_ontology_or_a_seed_recompiles(tmp_path: Path, cache_root: Path) -> None:
    root = make_project(tmp_path, None)
    build_graphs(Project.at(root))
    ontology = root / "ontology" / "azgraph.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert build_graphs(Project.at(root)).compiled == ["cemeri-2022", "ocmedia-2021"]
    meta = root / "seeds" / "cemeri-2022.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert build_graphs(Project.at(root)).compiled == ["cemeri-2022"]


def test_a_cached_seed_whose_references_no_longer_resolve_is_compiled_again(
    tmp_path: Path, cache_root: Path
) -> None:
    root = make_project(tmp_path, None)
    build_graphs(Project.at(root))
    for meta_path in (cache_root / "build").glob("*.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta["seed"] == "cemeri-2022":
            meta["references"].append("state:nowhere")
            meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert build_graphs(Project.at(root)).compiled == ["cemeri-2022"]


def test_damaged_cache_entries_are_ignored(tmp_path: Path, cache_root: Path) -> None:
    root = make_project(tmp_path, None)
    build_graphs(Project.at(root))
    before = _data(root)
    for entry in (cache_root / "build").glob("*.ttl"):
        entry.write_bytes(entry.read_bytes()[:-200])
    assert build_graphs(Project.at(root)).compiled == ["cemeri-2022", "ocmedia-2021"]
    assert _data(root) == before


def test_no_cache_and_cache_off_compile_everything(
    tmp_path: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, None)
    build_graphs(Project.at(root))
    result = CliRunner().invoke(cli, ["build", "--no-cache", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "(2 seeds compiled, 0 from the build cache)" in result.output
    shutil.rmtree(cache_root)
    monkeypatch.setenv("AZGRAPH_CACHE", "off")
    build_graphs(Project.at(root))
    assert not cache_root.exists()
