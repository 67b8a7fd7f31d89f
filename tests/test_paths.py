"""paths.py: project discovery and the one rule for cache keys (#17)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from azgraph import paths

MODULES = sorted(
    str(p.relative_to(paths.PACKAGE))
    for p in Path(paths.PACKAGE).rglob("*.py")
    if "__pycache__" not in p.parts
)


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("pkg") / "azgraph"
    shutil.copytree(paths.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize("module", MODULES)
def test_changing_any_module_changes_the_code_digest(package_copy: Path, module: str) -> None:
    # Caches key on this digest: a hand-kept list of "modules that matter" once left out
    # store.py, so a change there would have served stale Turtle from the build cache.
    before = paths.code_digest(str(package_copy))
    path = package_copy / module
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# changed\n")
        paths._code_digests.clear()
        assert paths.code_digest(str(package_copy)) != before
    finally:
        path.write_bytes(original)
        paths._code_digests.clear()


def test_a_new_module_changes_the_code_digest(package_copy: Path) -> None:
    before = paths.code_digest(str(package_copy))
    added = package_copy / "extra.py"
    added.write_text("X = 1\n", encoding="utf-8")
    try:
        paths._code_digests.clear()
        assert paths.code_digest(str(package_copy)) != before
    finally:
        added.unlink()
        paths._code_digests.clear()


def test_the_build_cache_and_prepared_queries_key_on_the_whole_package() -> None:
    from azgraph.build.buildcache import code_fingerprint
    from azgraph.paths import prepared_key

    fingerprint, prepared = code_fingerprint(), prepared_key("SELECT * {}", {})
    paths._code_digests[paths.PACKAGE] = "something else"
    try:
        assert code_fingerprint() != fingerprint
        assert prepared_key("SELECT * {}", {}) != prepared
    finally:
        paths._code_digests.clear()


def test_find_root_walks_up_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "azgraph.ttl").write_text("", encoding="utf-8")
    (tmp_path / "curated").mkdir()
    deep = tmp_path / "curated" / "a" / "b"
    deep.mkdir(parents=True)
    assert paths.find_root(str(deep)) == str(tmp_path.resolve())
    assert paths.find_root("/") is None
