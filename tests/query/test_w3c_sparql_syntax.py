"""Issue #16: the W3C SPARQL query-syntax tests, each run through `azgraph query run -e`.

The cases (tests/fixtures/w3c-sparql11-syntax/, from rdflib 7.6.0's source distribution; see the
README there) are read from their manifests. Whatever a case holds, the CLI answers, or refuses
in one line with a documented exit code and a stated reason; never a traceback. Positive cases
run, or are refused by policy (SERVICE, FROM), or for an extension function or a relative IRI
without BASE (the local engine cannot run them). Negative cases give a one-line syntax error with line and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from azgraph.cli.main import cli

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "w3c-sparql11-syntax"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")

# Where pyoxigraph 0.5's parser and the W3C tests disagree, the answer is still one clean line:
# these positive cases get a syntax error, this negative one runs.
ENGINE_REJECTS = {
    "data-r2-syntax-sparql1/syntax-lit-08.rq",  # "123." as a decimal (SPARQL 1.0 only)
    "data-r2-syntax-sparql2/syntax-esc-04.rq",  # \u escapes inside a prefixed name
    "data-r2-syntax-sparql2/syntax-esc-05.rq",
    "syntax-query/qname-escape-01.rq",  # "\:" in a local name
}
ENGINE_ACCEPTS = {"data-r2-syntax-sparql3/syn-bad-26.rq"}  # ?x<?a&&?b>?y read as comparisons

POLICY = re.compile(
    r"SERVICE is refused|FROM and FROM NAMED are refused|"
    r"extension function <[^>]*> is not supported|"
    r"relative IRI <[^>]*> at line \d+, column \d+ needs a BASE declaration"
)
SYNTAX = re.compile(r"SPARQL syntax error at line \d+, column \d+: \S")


def cases() -> list[tuple[str, bool]]:
    """(path under SUITE, positive?) for every syntax test of every manifest."""
    found = []
    for manifest in sorted(SUITE.glob("*/manifest.ttl")):
        graph = Graph()
        graph.parse(manifest, publicID=manifest.parent.as_uri() + "/")
        for test, kind in graph.subject_objects(RDF.type):
            name = str(kind).rsplit("#", 1)[-1]
            if "SyntaxTest" not in name:
                continue
            action = Path(str(graph.value(test, MF.action)).removeprefix("file://"))
            found.append((f"{manifest.parent.name}/{action.name}", name.startswith("Positive")))
    return sorted(found)


CASES = cases()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of a few triples: the cases test the gate and the parser, not the data, and
    a CONSTRUCT over a big graph would only wait for --timeout."""
    root = tmp_path_factory.mktemp("w3c")
    for folder in ("ontology", "curated", "data"):
        (root / folder).mkdir()
    (root / "ontology" / "azgraph.ttl").write_text(
        "<http://example/s> <http://example/p> <http://example/o> .\n", encoding="utf-8"
    )
    (root / "data" / "tiny.ttl").write_text(
        '<http://example/o> <http://example/p> 1, "x" .\n', encoding="utf-8"
    )
    return root


def test_the_suite_is_all_there() -> None:
    assert len(CASES) == 289
    assert sum(positive for _, positive in CASES) == 213
    assert all((SUITE / name).is_file() for name, _ in CASES)


@pytest.mark.parametrize(("name", "positive"), CASES, ids=[name for name, _ in CASES])
def test_issue_16_w3c_syntax_case_runs_or_is_refused_in_one_line(
    tiny: Path, name: str, positive: bool
) -> None:
    text = (SUITE / name).read_text(encoding="utf-8")
    args = ["query", "run", "-e", text, "--project", str(tiny), "--timeout", "10", "--limit", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert positive != (name in ENGINE_ACCEPTS), result.stdout[:300]
        return
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: -e: "), result.stderr
    if positive and name not in ENGINE_REJECTS:
        assert result.exit_code in (3, 6) and POLICY.search(lines[0]), lines[0]
    else:
        assert result.exit_code == 3 and (SYNTAX.search(lines[0])), lines[0]
