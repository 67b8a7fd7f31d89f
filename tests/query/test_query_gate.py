"""Issue #16: every query text passes one gate (sparqlvet.vet_query) before an engine sees it.

Texts that would crash pyoxigraph (deep nesting, thousands of patterns) are refused with exit 6
whichever way they come: `query run -e`, a .rq file, --endpoint, a check query or a shape. Those
run in a subprocess, because before the gate they ended the process with SIGSEGV, which would
take pytest with it. Valid queries that the local engine cannot run, and syntax errors, give one
line and exit 3.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from tests.conftest import make_project

REPO = Path(__file__).resolve().parents[2]
DEEP_PARENS = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
DEEP_GROUPS = "SELECT * WHERE {" + "{" * 5000 + " ?s ?p ?o " + "}" * 5000 + "}"
MANY_PATTERNS = "SELECT * WHERE {" + " ?s ?p ?o ." * 9000 + "}"  # 99 KB: under the size cap


def azgraph(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own (a crash must not end the test run)."""
    return subprocess.run(
        [sys.executable, "-m", "azgraph", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
    )


def assert_refused_at_a_limit(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 6, (result.returncode, result.stderr[-500:])
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "refused" in result.stderr and "limit" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built project (data/ written), to copy for tests that add files."""
    root = make_project(tmp_path_factory.mktemp("gate"))
    result = CliRunner().invoke(cli, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("text", [DEEP_PARENS, DEEP_GROUPS], ids=["parentheses", "groups"])
def test_issue_16_query_run_refuses_5000_nested_brackets(text: str) -> None:
    assert_refused_at_a_limit(azgraph("query", "run", "-e", text, "--project", str(REPO)))


def test_issue_16_query_run_refuses_a_99_kb_file_of_9000_patterns(tmp_path: Path) -> None:
    path = tmp_path / "many.rq"
    path.write_text(MANY_PATTERNS, encoding="utf-8")
    assert 95_000 < len(MANY_PATTERNS) < 100_000
    result = azgraph("query", "run", str(path), "--project", str(REPO))
    assert_refused_at_a_limit(result)
    assert str(path) in result.stderr


@pytest.fixture
def unused_port() -> Iterator[int]:
    """A loopback port nothing listens on: a connection attempt would be refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


@pytest.mark.parametrize("text", [DEEP_PARENS, MANY_PATTERNS], ids=["nested", "patterns"])
def test_issue_16_endpoint_queries_are_refused_before_any_connection(
    text: str, unused_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    result = azgraph("query", "run", "-e", text, "--endpoint", url, "--project", str(REPO))
    assert_refused_at_a_limit(result)  # a connection attempt would have exited 4


def test_issue_16_validate_refuses_a_deep_check_query(built: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built, root)
    (root / "queries" / "check-deep.rq").write_text(
        "#+ title: deep\n#+ description: deep\n#+ kind: check\n\n"
        "SELECT ?focus ?message WHERE { ?focus ?p ?o FILTER("
        + "(" * 5000
        + "true"
        + ")" * 5000
        + ") BIND('x' AS ?message) }\n",
        encoding="utf-8",
    )
    result = azgraph("validate", "--project", str(root))
    assert_refused_at_a_limit(result)
    assert "check-deep.rq" in result.stderr


@pytest.mark.parametrize("body", [DEEP_GROUPS, MANY_PATTERNS], ids=["nested", "patterns"])
def test_issue_16_validate_refuses_a_huge_shape_constraint(
    built: Path, tmp_path: Path, body: str
) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built, root)
    select = body.replace("SELECT *", "SELECT $this", 1).replace("?s ?p", "$this ?p", 1)
    (root / "shapes" / "huge.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        f'ex:Huge a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select """{select}""" ] .\n',
        encoding="utf-8",
    )
    result = azgraph("validate", "--project", str(root))
    assert_refused_at_a_limit(result)
    assert "huge.ttl: ex:Huge sh:select" in result.stderr


def run_e(text: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["query", "run", "-e", text, "--project", str(REPO)])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stderr


def test_issue_16_an_oversized_query_exits_6_as_help_says() -> None:
    code, stderr = run_e("SELECT * WHERE { ?s ?p ?o }" + " " * 100_000)
    assert code == 6, stderr
    assert "longer than the limit of 100000 characters" in stderr
    help_text = CliRunner().invoke(cli, ["query", "run", "--help"]).output
    assert "size or nesting" in " ".join(help_text.split())


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX : <http://ex/> SELECT * WHERE { ?s ?p ?o FILTER(:function(?o)) }",
        "SELECT (<http://ex/function>(1) AS ?x) WHERE {}",
        "PREFIX : <http://ex/> ASK { FILTER(:function(1)) }",
    ],
    ids=["filter", "select-expression", "ask"],
)
def test_issue_16_extension_functions_are_a_one_line_query_error(text: str) -> None:
    code, stderr = run_e(text)
    assert code == 3, stderr
    assert stderr.strip().splitlines() == [stderr.strip()]
    assert "extension function <http://ex/function> is not supported" in stderr


def test_issue_16_a_relative_iri_without_base_says_so() -> None:
    code, stderr = run_e("SELECT * WHERE {\n  <x> ?p ?o }")
    assert code == 3, stderr
    assert "relative IRI <x> at line 2, column 3 needs a BASE declaration or an absolute IRI" in (
        stderr
    )
    code, stderr = run_e("BASE <http://example.org/> SELECT * WHERE {\n  <x> ?p ?o }")
    assert code == 0, stderr


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o } GROUP BY",  # pyoxigraph lists a character class over lines
        "SELECT * WHERE { ?s ?p '\\q' }",  # an escape-character class
        "SELECT * WHERE {\n ?s ?p ?o }\n}",
    ],
    ids=["name-class", "escape-class", "extra-brace"],
)
def test_issue_16_syntax_errors_are_one_line_with_line_and_column(text: str) -> None:
    code, stderr = run_e(text)
    assert code == 3, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "SPARQL syntax error at line" in stderr and ", column " in stderr
    assert "..=" not in stderr and "['" not in stderr  # no grammar character classes
    assert "[_]" not in stderr


def test_issue_16_a_construct_whose_turtle_takes_minutes_stops_at_timeout() -> None:
    """Canonical Turtle of ten thousand blank nodes took over five minutes after the query
    itself had finished within --timeout."""
    text = (
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> CONSTRUCT { [] rdf:subject ?s "
        "; rdf:predicate ?p ; rdf:object ?o } WHERE { ?s ?p ?o }"
    )
    try:
        result = azgraph("query", "run", "-e", text, "--timeout", "1", "--project", str(REPO))
    except subprocess.TimeoutExpired:
        pytest.fail("query run went on long past --timeout")
    assert result.returncode == 6, result.stderr
    assert "query stopped after 1 s (--timeout)" in result.stderr
