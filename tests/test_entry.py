"""The fast lane of `azgraph query run` (entry.py) and the cache behind it (cache.py).

The fast lane must be invisible: the same bytes and exit codes as the click command, for every
bundled query and format; anything it does not handle must reach click untouched.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph import cache, paths
from azgraph.cli.main import cli
from azgraph.entry import parse_quick, run_quick
from azgraph.query import fastlane
from azgraph.query.queries import load_queries
from tests.conftest import REPO

QUERIES = [q for q in load_queries(REPO / "queries").values() if q.kind != "construct"]


def _parsed(args: tuple[str, ...]) -> dict[str, object]:
    opts = parse_quick(list(args))
    assert opts is not None, args
    return opts


def quick(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    opts = parse_quick(list(args))
    assert opts is not None, f"the fast lane should take {args}"
    code = run_quick(opts)
    out = capsys.readouterr()
    return code, out.out, out.err


def slow(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "run", "pipelines"],
        ["query", "run", "facts-about", "-p", "entity=state:turkey", "-f", "csv"],
        ["query", "run", "x.rq", "--format=json", "--limit=3", "--timeout", "5"],
        ["query", "run", "--project", ".", "pipelines", "--param=a=b"],
    ],
)
def test_plain_query_runs_take_the_fast_lane(argv: list[str]) -> None:
    assert parse_quick(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "list"],
        ["--debug", "query", "run", "pipelines"],
        ["query", "run", "--help"],
        ["query", "run", "-e", "ASK {}"],
        ["query", "run", "pipelines", "--endpoint", "http://127.0.0.1:1/q"],
        ["query", "run", "pipelines", "-f", "xml"],
        ["query", "run", "pipelines", "-fcsv"],
        ["query", "run", "pipelines", "--limit", "0"],
        ["query", "run", "pipelines", "--timeout", "nan"],
        ["query", "run", "pipelines", "-p", "novalue"],
        ["query", "run", "pipelines", "--format"],
        ["query", "run", "a", "b"],
        ["query", "run"],
        ["query", "run", "pipelines", "--project", "README.md"],
    ],
)
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert parse_quick(argv) is None


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_both_lanes_print_the_same_bytes(
    query: object, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name = query.name  # type: ignore[attr-defined]
    args = ("query", "run", name, "--project", str(REPO), "-f", fmt)
    code, out, err = quick(capsys, *args)
    assert (code, out, err) == slow(*args)
    assert out.strip(), "every bundled query prints something on the real graph"
    # Both runs above left the store and the prepared query in the cache: the third lane
    # answers from them alone, with the same bytes
    assert fastlane.answer(_parsed(args)) == out


@pytest.mark.parametrize(
    "args",
    [
        ("query", "run", "pipelnes"),  # a typo: suggests the close name
        ("query", "run", "facts-about", "-p", "entity=<not an iri>"),
        ("query", "run", "facts-about", "-p", "nosuch=1"),
        ("query", "run", "missing.rq"),
    ],
)
def test_errors_read_the_same_in_both_lanes(
    args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    full = (*args, "--project", str(REPO))
    code, out, err = quick(capsys, *full)
    assert code == 3 and out == "" and err.startswith("error: ")
    assert (code, out, err) == slow(*full)


HEAVY = ("click", "yaml", "rdflib", "pyshacl")
# What a repeated run must not import either: together about 40 ms of a cold process
STDLIB = ("enum", "json", "pathlib", "re", "threading", "typing")


def _probe(env: dict[str, str], *argv: str) -> tuple[str, list[str], int]:
    """Run the console entry point in a fresh interpreter: its output, the modules of
    HEAVY + STDLIB it imported, and its exit code."""
    probe = (
        f"import sys; sys.argv = ['azgraph', *{list(argv)!r}]\n"
        "from azgraph.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        f"print('LOADED', sorted(m for m in {HEAVY + STDLIB!r} if m in sys.modules), code,"
        " file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True
    )
    loaded, code = done.stderr.rsplit("LOADED ", 1)[1].rsplit(" ", 1)
    return done.stdout, ast.literal_eval(loaded), int(code)


def test_the_console_command_does_not_import_click_yaml_or_rdflib(tmp_path: Path) -> None:
    """The point of the lanes: a cold `query run` loads only what it needs, and once the
    caches are filled not even the heavier standard modules (for a table: CSV and JSON need
    their own modules)."""
    env = {**os.environ, "AZGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    cases = [
        (["query", "run", "pipelines"], "Baku–Tbilisi–Ceyhan pipeline"),
        (["query", "run", "facts-about", "-p", "entity=state:turkey"], "state:turkey"),
    ]
    for argv, expected in cases:
        first, loaded, code = _probe(env, *argv)
        assert code == 0 and expected in first
        # the first run parses the query header with PyYAML and caches it, but needs nothing else
        assert not set(loaded) & {"click", "rdflib", "pyshacl"}
        again, loaded, code = _probe(env, *argv)
        assert (again, code) == (first, 0)
        assert loaded == [], f"a repeated run imported {loaded}"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "queries", "data", "curated"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _stores(root: Path) -> list[Path]:
    return sorted((root / "stores").iterdir()) if (root / "stores").is_dir() else []


def test_the_store_is_cached_by_content_and_an_edit_is_seen_at_once(
    tmp_path: Path, cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    args = ("query", "run", "pipelines", "--project", str(project), "-f", "csv")
    first = quick(capsys, *args)
    assert len(_stores(cache_root)) == 1 and (_stores(cache_root)[0] / "ready").is_file()
    assert quick(capsys, *args) == first
    assert len(_stores(cache_root)) == 1  # the second run read the same store

    data = project / "data" / "cemeri-2022.ttl"
    data.write_text(
        data.read_text(encoding="utf-8").replace("az:lengthKm 1768.0", "az:lengthKm 1769.0"),
        encoding="utf-8",
    )
    code, out, _ = quick(capsys, *args)
    assert code == 0 and ",1769" in out and ",1768" not in out
    assert len(_stores(cache_root)) == 2


def test_old_stores_are_pruned(tmp_path: Path, cache_root: Path) -> None:
    from azgraph.rdf.store import fill_store

    for i in range(cache.KEEP_STORES + 2):
        ttl = tmp_path / f"g{i}.ttl"
        ttl.write_text(f"<urn:a> <urn:b> {i} .\n", encoding="utf-8")
        store = cache.cached_store([ttl], fill_store)
        assert len(store) == 1
        del store
    assert len(_stores(cache_root)) == cache.KEEP_STORES


def test_a_damaged_store_is_rebuilt(
    tmp_path: Path, cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("query", "run", "pipelines", "--project", str(REPO), "-f", "csv")
    first = quick(capsys, *args)
    (store,) = _stores(cache_root)
    (store / "CURRENT").write_text("junk\n", encoding="utf-8")
    assert quick(capsys, *args) == first


def test_bad_turtle_is_reported_and_leaves_nothing_in_the_cache(
    tmp_path: Path, cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    (project / "data" / "cemeri-2022.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    code, out, err = quick(capsys, "query", "run", "pipelines", "--project", str(project))
    assert code == 3 and out == ""
    assert "cemeri-2022.ttl:1" in err and "invalid Turtle" in err
    assert _stores(cache_root) == []


def test_cache_off_or_unwritable_still_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("query", "run", "pipelines", "--project", str(REPO), "-f", "csv")
    monkeypatch.setenv("AZGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    expected = quick(capsys, *args)

    monkeypatch.setenv("AZGRAPH_CACHE_DIR", str(tmp_path / "off"))
    monkeypatch.setenv("AZGRAPH_CACHE", "off")
    assert quick(capsys, *args) == expected
    assert not (tmp_path / "off").exists()

    monkeypatch.delenv("AZGRAPH_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("AZGRAPH_CACHE_DIR", str(blocker / "cache"))
    assert quick(capsys, *args) == expected


def test_a_damaged_header_entry_is_parsed_again(cache_root: Path) -> None:
    from azgraph.query.queries import parse_query_file

    path = REPO / "queries" / "facts-about.rq"
    fresh = parse_query_file(path)
    entries = list((cache_root / "query-headers").glob("*.json"))
    assert len(entries) == 1
    assert parse_query_file(path) == fresh  # from the cache
    entries[0].write_text('{"title": 1}', encoding="utf-8")
    assert parse_query_file(path) == fresh
    assert fresh.params["entity"].default == "state:azerbaijan"


def test_large_graphs_are_queried_in_memory_not_from_the_disk_cache(
    cache_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """RocksDB answers heavy queries several times slower than memory (fastlane.py), so past
    the size limit the dumps are loaded in memory and nothing is cached."""
    args = ("query", "run", "pipelines", "--project", str(REPO), "-f", "csv")
    monkeypatch.setattr(paths, "QUERY_CACHE_MAX_BYTES", 1_000)
    in_memory = quick(capsys, *args)
    assert _stores(cache_root) == []
    assert fastlane.answer(_parsed(args)) is None  # no store: the full lane answers
    monkeypatch.setattr(paths, "QUERY_CACHE_MAX_BYTES", 100_000_000)
    assert quick(capsys, *args) == in_memory
    assert len(_stores(cache_root)) == 1


def test_the_fast_lane_answers_only_from_entries_that_match_the_query_and_params(
    tmp_path: Path, cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    query = project / "queries" / "facts-about.rq"
    turkey: tuple[str, ...] = ("query", "run", "facts-about", "-p", "entity=state:turkey")
    turkey += ("-f", "csv")
    turkey += ("--project", str(project))
    azerbaijan = ("query", "run", "facts-about", "-f", "csv", "--project", str(project))
    assert fastlane.answer(_parsed(turkey)) is None  # nothing cached yet
    by_turkey = quick(capsys, *turkey)
    assert fastlane.answer(_parsed(turkey)) == by_turkey[1]
    # Other --param values have their own entry: not answered with Turkey's text
    assert fastlane.answer(_parsed(azerbaijan)) is None
    by_azerbaijan = quick(capsys, *azerbaijan)
    assert by_azerbaijan[1] != by_turkey[1]
    assert fastlane.answer(_parsed(azerbaijan)) == by_azerbaijan[1]

    # An edited query is a new key: never answered with the text prepared before the edit
    query.write_text(query.read_text(encoding="utf-8") + "LIMIT 1\n", encoding="utf-8")
    assert fastlane.answer(_parsed(turkey)) is None
    code, out, _ = quick(capsys, *turkey)
    assert code == 0 and out.count("\n") == 2  # the header and one row
    assert fastlane.answer(_parsed(turkey)) == out


def test_a_damaged_prepared_entry_is_prepared_again(
    cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("query", "run", "pipelines", "--project", str(REPO), "-f", "csv")
    first = quick(capsys, *args)
    (entry,) = (cache_root / "prepared").iterdir()
    reaching_out = (
        b"azgraph-prepared-1\nselect\nSELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        b"azgraph-prepared-1\nselect\nSELECT * { S\\u0045RVICE <http://127.0.0.1:9/> {} }",
        b'azgraph-prepared-1\nask\nASK { BIND ("""\n# x""" AS ?a) SERVICE <http://127.0.0.1:9/> {} }',
        b"azgraph-prepared-1\nask\nASK {\n# a comment ends at CR\rSERVICE <http://127.0.0.1:9/> {} }",
    )
    for junk in (b"", b"azgraph-prepared-1\nupdate\nDROP ALL", b"\xff\xfe", *reaching_out):
        entry.write_bytes(junk)
        assert fastlane.answer(_parsed(args)) is None
        assert quick(capsys, *args) == first
        assert fastlane.answer(_parsed(args)) == first[1]


def test_a_user_query_file_takes_the_fast_lane_too(
    tmp_path: Path, cache_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "mine.rq"
    mine.write_text("SELECT ?p WHERE { ?p a az:Pipeline } ORDER BY ?p\n", encoding="utf-8")
    args = ("query", "run", str(mine), "--project", str(REPO))
    code, out, _ = quick(capsys, *args)
    assert code == 0 and "pipeline:baku-tbilisi-ceyhan" in out
    assert fastlane.answer(_parsed(args)) == out


def test_a_timeout_reads_the_same_in_the_fast_lane(tmp_path: Path) -> None:
    """Run in fresh processes: a timed-out query keeps its thread busy until the process ends."""
    slow_query = tmp_path / "slow.rq"
    slow_query.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8"
    )
    env = {**os.environ, "AZGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    argv = ["query", "run", str(slow_query), "--timeout", "0.5"]
    runs = []
    for _ in range(2):  # the full lane, which prepares the query; then the fast lane
        done = subprocess.run(
            [sys.executable, "-m", "azgraph", *argv],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        runs.append((done.returncode, done.stdout, done.stderr))
    assert runs[0] == runs[1]
    assert runs[0][0] == 6 and "query stopped after 0.5 s (--timeout)" in runs[0][2]
    assert len(list((tmp_path / "cache" / "prepared").iterdir())) == 1


def test_the_cold_lane_and_click_share_one_definition_of_query_run_options() -> None:
    # entry.parse_quick and the click command read spellings, formats, defaults and limits from
    # query/runoptions.py; an option added to the click command must be placed in one of them.
    import click

    from azgraph.cli.commands.query import query_run
    from azgraph.query import runoptions

    seen = {}
    for param in query_run.params:
        if isinstance(param, click.Option):
            seen[tuple(param.opts)] = param
    by_field = {flags: field for field, flags in runoptions.FLAGS.items()}
    assert set(seen) == set(by_field)  # every click option is defined in runoptions.FLAGS
    quick = {f for f, field in by_field.items() if field not in runoptions.CLICK_ONLY}
    assert {flag for flags in quick for flag in flags} == set(runoptions.QUICK)
    fmt = seen[runoptions.FLAGS["format"]]
    assert list(fmt.type.choices) == list(runoptions.FORMATS)  # type: ignore[attr-defined]
    assert fmt.default == runoptions.DEFAULT_FORMAT
    assert seen[runoptions.FLAGS["limit"]].default == runoptions.DEFAULT_LIMIT
    assert seen[runoptions.FLAGS["timeout"]].default == runoptions.DEFAULT_TIMEOUT
    assert parse_quick(["query", "run", "x"]) == {
        "name": "x",
        "format": runoptions.DEFAULT_FORMAT,
        "given": {},
        "limit": runoptions.DEFAULT_LIMIT,
        "timeout": runoptions.DEFAULT_TIMEOUT,
        "project": None,
    }
