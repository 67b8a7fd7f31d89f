"""Shared fixtures: a throw-away copy of a project, and golden-file snapshots."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="Rewrite tests/snapshots/.")
    parser.addoption("--run-network", action="store_true", help="Run tests marked 'network'.")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the query cache (cache.py) of the tests, and of the commands they start, out of
    the user's ~/.cache."""
    import os

    os.environ["AZGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("azgraph-cache"))


@pytest.fixture()
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder (cache.py) of this test's own."""
    root = tmp_path / "cache"
    monkeypatch.setenv("AZGRAPH_CACHE_DIR", str(root))
    return root


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-network"):
        return
    skip = pytest.mark.skip(reason="needs the open internet; use --run-network")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def comparable(term: object) -> object:
    """A query-result term in a form both engines agree on: literals by value (plain strings and
    xsd:string alike), language-tagged text by text and tag, blank nodes by kind only."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ("lang", str(term), term.language)
        datatype = str(term.datatype or XSD_STRING)
        if datatype == XSD_STRING or term.value is None:
            return ("text", str(term), datatype)
        return ("value", term.value, datatype)
    if isinstance(term, BNode):
        return "_:b"
    return term


def make_project(tmp_path: Path, case: str | None = "mini") -> Path:
    """A project in ``tmp_path``: the repo's seeds, ontology, shapes and queries, plus the
    curated files of ``tests/fixtures/<case>`` (or the repo's own curated files for None)."""
    root = tmp_path / "project"
    for folder in ("seeds", "ontology", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    source = REPO / "curated" if case is None else FIXTURES / case / "curated"
    shutil.copytree(source, root / "curated")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    def check(name: str, actual: str) -> None:
        path = SNAPSHOTS / name
        if request.config.getoption("--update-snapshots"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, _explain(expected, actual, rdf=path.suffix == ".ttl")

    return check


def _explain(expected: str, actual: str, *, rdf: bool) -> str:
    if not rdf:
        return "output differs from snapshot"
    from rdflib import Graph
    from rdflib.compare import graph_diff, to_isomorphic

    old = to_isomorphic(Graph().parse(data=expected, format="turtle"))
    new = to_isomorphic(Graph().parse(data=actual, format="turtle"))
    if old == new:
        return "same graph, different bytes: a formatting drift"
    _both, only_old, only_new = graph_diff(old, new)
    lines = [f"- {t}" for t in sorted(only_old)][:20] + [f"+ {t}" for t in sorted(only_new)][:20]
    return "graph changed:\n" + "\n".join(lines)
