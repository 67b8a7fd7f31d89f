"""Remote answers are complete or an error (#16): partial-result signals, cut-off bodies and
answers to a different query each exit 4 with one line, never rows and exit 0.

Each fault comes from a real stdlib HTTP server on 127.0.0.1 that sends it; the commands run
through click's CliRunner.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.build.compile import build_graphs
from azgraph.check.wikidata import sparql_runner
from azgraph.cli.main import cli
from azgraph.errors import RemoteError
from azgraph.project import Project
from tests.conftest import REPO

pytestmark = pytest.mark.server

JSON_TYPE = "application/sparql-results+json"
PIPELINE = "https://w3id.org/azgraph/id/pipeline/"
SELECT = "SELECT ?s ?label WHERE { ?s a az:Pipeline ; rdfs:label ?label } ORDER BY ?s ?label"


def _results(names: list[str], rows: list[dict[str, str]]) -> bytes:
    cells = [{k: {"type": "literal", "value": v} for k, v in row.items()} for row in rows]
    return json.dumps({"head": {"vars": names}, "results": {"bindings": cells}}).encode()


COMPLETE = _results(["s", "label"], [{"s": PIPELINE + "btc", "label": "BTC"}])


@dataclass
class Answer:
    """What the stub sends: a status, headers, a body, and optionally a longer Content-Length."""

    body: bytes
    status: int = 200
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    announced: int | None = None


@dataclass
class Stub:
    url: str
    requests: list[bytes]


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], Stub]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(answer: Answer) -> Stub:
        seen: list[bytes] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                seen.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(answer.announced or len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Stub(f"http://127.0.0.1:{server.server_address[1]}/sparql", seen)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


VIRTUOSO_TIMEOUT = {
    "X-SQL-State": "S1TAT",
    "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by result timeout.",
    "X-Exec-Milliseconds": "30010",
}

FAULTS: dict[str, tuple[str, Answer, str]] = {
    "http-206": (
        SELECT,
        Answer(COMPLETE, status=206),
        "the endpoint sent a partial answer (HTTP 206 Partial Content)",
    ),
    "virtuoso-anytime": (
        SELECT,
        Answer(COMPLETE, headers=VIRTUOSO_TIMEOUT),
        "partial answer (HTTP 200, X-SQL-State: S1TAT; RC...: Returning incomplete results, "
        "query interrupted by result timeout)",
    ),
    "virtuoso-anytime-206": (
        SELECT,
        Answer(COMPLETE, status=206, headers={"X-SQL-State": "S1TAT"}),
        "the endpoint sent a partial answer (HTTP 206, X-SQL-State: S1TAT)",
    ),
    "sqlstate-spelling": (
        SELECT,
        Answer(COMPLETE, headers={"X-SQLState": "S1T00"}),
        "the endpoint sent a partial answer (HTTP 200, X-SQLState: S1T00)",
    ),
    "row-cap": (
        SELECT,
        Answer(COMPLETE, headers={"X-SPARQL-MaxRows": "10000"}),
        "the endpoint cut the answer at its row limit (X-SPARQL-MaxRows: 10000)",
    ),
    "missing-variable": (
        SELECT,
        Answer(_results(["s"], [{"s": PIPELINE + "btc"}])),
        "the answer lacks ?label, which the query selects (its head lists ?s)",
    ),
    "unlisted-variable": (
        SELECT,
        Answer(_results(["s", "label"], [{"s": PIPELINE + "btc", "label": "BTC", "x": "1"}])),
        "result row 1 binds ?x, which the head does not list",
    ),
    "no-head": (
        SELECT,
        Answer(json.dumps({"results": {"bindings": []}}).encode()),
        "the SPARQL results have no 'head' listing their variables",
    ),
    "no-results": (
        SELECT,
        Answer(json.dumps({"head": {"vars": ["s", "label"]}}).encode()),
        "the SPARQL results have no 'results' bindings",
    ),
    "ask-not-boolean": (
        "ASK { ?s a az:Pipeline }",
        Answer(b'{"head": {}, "boolean": "false"}'),
        "the JSON is not an ASK answer (no true or false 'boolean')",
    ),
    "truncated-turtle": (
        "CONSTRUCT { ?s a az:Pipeline } WHERE { ?s a az:Pipeline }",
        Answer(
            b"<https://w3id.org/azgraph/id/pipeline/btc> a <https://w3id.org/azgraph/ontology#Pip",
            content_type="text/turtle",
        ),
        "the CONSTRUCT answer (text/turtle) ends mid-statement after 83 bytes (truncated)",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_issue_16_an_incomplete_answer_exits_4_with_one_line(
    fault: str, serve: Callable[[Answer], Stub]
) -> None:
    query, answer, message = FAULTS[fault]
    stub = serve(answer)
    code, out, err = run(
        "query", "run", "--project", str(REPO), "-e", query, "--endpoint", stub.url,
        "--timeout", "5",
    )  # fmt: skip
    assert stub.requests, "the query never reached the stub"
    assert (code, out) == (4, ""), err
    assert err == f"error: {stub.url}: {err.split(': ', 2)[2]}" and err.count("\n") == 1
    assert message in err


# --- wikidata check ----------------------------------------------------------------------------


@pytest.fixture
def linked(project: Path) -> Path:
    from tests.check.test_wikidata import MAPPING

    (project / "mappings").mkdir()
    (project / "mappings" / "wikidata.yaml").write_text(MAPPING, encoding="utf-8")
    build_graphs(Project.at(project))
    return project


def test_issue_16_wikidata_check_without_an_expected_variable_is_one_line(
    linked: Path, serve: Callable[[Answer], Stub]
) -> None:
    rows = [{"kind": "label", "text": "Azerbaijan"}]  # ?item is in the head but never bound
    stub = serve(Answer(_results(["item", "kind", "text"], rows)))
    code, out, err = run("wikidata", "check", "--project", str(linked), "--endpoint", stub.url)
    assert code == 4, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{stub.url}: a row of the answer has no ?item, which the query always binds" in err


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(COMPLETE, headers=VIRTUOSO_TIMEOUT), "partial answer (HTTP 200, X-SQL-State"),
        (Answer(COMPLETE, status=206), "partial answer (HTTP 206 Partial Content)"),
        (Answer(_results(["item"], [])), "the answer lacks ?kind, which the query selects"),
        (Answer(COMPLETE[:40], announced=len(COMPLETE)), "closed the connection after 40 bytes"),
    ],
    ids=["virtuoso-anytime", "http-206", "missing-variable", "short-body"],
)
def test_issue_16_wikidata_refuses_an_incomplete_answer(
    answer: Answer, message: str, serve: Callable[[Answer], Stub]
) -> None:
    stub = serve(answer)
    query = "SELECT ?item ?kind ?text WHERE { ?item ?kind ?text }"
    with pytest.raises(RemoteError, match="^" + stub.url) as caught:
        sparql_runner(stub.url, timeout=5, retries=0)(query)
    assert message in str(caught.value) and "\n" not in str(caught.value)
