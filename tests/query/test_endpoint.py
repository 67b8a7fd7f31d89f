"""Remote SPARQL: a real Oxigraph server for the happy path, loopback stub servers for faults.

Every bundled query runs on a server loaded by `azgraph publish` and must return the rows it
returns locally. Faults (refused, HTTP errors, HTML, bad JSON, silence, a drip-fed body) each end
within --timeout with their own message and exit 4. Nothing here leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from azgraph import __version__
from azgraph.cli.main import cli
from azgraph.project import Project
from azgraph.publish.server import free_port, oxigraph_binary
from azgraph.query.endpoint import http_request, run_remote
from azgraph.query.queries import bind_params, load_queries, run_local
from azgraph.rdf.store import graph_files, load_oxigraph
from tests.conftest import comparable
from tests.query.stubs import Responder, StubFactory

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]
QUERIES = load_queries(REPO / "queries")
GRAPH = "https://w3id.org/azgraph/graph"
SELECT = "SELECT ?s WHERE { ?s a az:Pipeline } ORDER BY ?s"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _sparql(url: str, text: str) -> dict:  # type: ignore[type-arg]
    data = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def graph_counts(base: str) -> dict[str, int]:
    doc = _sparql(
        f"{base}/query",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    return {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}


# --- the real server -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` (read-write) on a free loopback port; the default graph is the union
    of the named graphs, so published graphs answer the bundled queries."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph") / "store"
    command = [str(oxigraph_binary()), "serve", "--location", str(location)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _sparql(f"{base}/query", "ASK {}")
            break
        except OSError:
            assert process.poll() is None, "oxigraph serve exited"
            assert time.monotonic() < deadline, "oxigraph serve did not answer within 30 s"
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def published(oxigraph: str) -> str:
    code, out, err = run(
        "publish", "--project", str(REPO), "--endpoint", f"{oxigraph}/query", "--graph", GRAPH
    )
    assert code == 0, err
    expected = len(load_oxigraph(graph_files(Project.at(REPO))))
    assert f"published <{GRAPH}>: {expected} triples (was 0)" in out
    return oxigraph


@pytest.fixture(scope="module")
def local_store() -> pyoxigraph.Store:
    return load_oxigraph(graph_files(Project.at(REPO)))


def test_publish_leaves_exactly_the_published_graph(published: str) -> None:
    expected = len(load_oxigraph(graph_files(Project.at(REPO))))
    assert graph_counts(published) == {GRAPH: expected}  # no staging graph left behind


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_bundled_query_returns_the_local_rows_remotely(
    published: str,
    local_store: pyoxigraph.Store,
    name: str,
) -> None:
    query = QUERIES[name]
    bindings = bind_params(query, {})
    local = run_local(local_store, query, bindings)
    remote = run_remote(f"{published}/query", query, bindings, timeout=30)
    assert remote.variables == local.variables
    assert [tuple(map(comparable, r)) for r in remote.rows] == [
        tuple(map(comparable, r)) for r in local.rows
    ]


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_remote_output_is_byte_identical_to_local(published: str, fmt: str) -> None:
    args = ("query", "run", "pipelines", "--project", str(REPO), "-f", fmt)
    code, local, _ = run(*args)
    code_remote, remote, err = run(*args, "--endpoint", f"{published}/query")
    assert code == code_remote == 0, err
    assert remote == local


def test_parameterised_query_binds_values_remotely(
    published: str, local_store: pyoxigraph.Store
) -> None:
    entity = "pipeline:baku-tbilisi-ceyhan-pipeline"
    args = ("query", "run", "facts-about", "-p", f"entity={entity}", "--project", str(REPO))
    _, local, _ = run(*args, "-f", "csv")
    code, remote, err = run(*args, "-f", "csv", "--endpoint", f"{published}/query")
    assert code == 0, err
    assert remote == local and remote.count("\n") > 1
    # A value that would break out of a pasted string is bound as one literal: no rows, no error.
    hostile = 'x") || true) } #'
    code, out, err = run(
        "query", "run", "search-quotes", "-p", f"text={hostile}", "--project", str(REPO),
        "--endpoint", f"{published}/query", "-f", "csv",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip().count("\n") == 0


def test_ask_and_construct_run_remotely_like_locally(published: str) -> None:
    construct = "CONSTRUCT { ?p a az:Pipeline } WHERE { ?p a az:Pipeline }"
    for text in ("ASK { ?p a az:Pipeline }", construct):
        _, local, _ = run("query", "run", "--project", str(REPO), "-e", text)
        code, remote, err = run(
            "query", "run", "--project", str(REPO), "-e", text, "--endpoint", f"{published}/query"
        )
        assert code == 0, err
        assert remote == local


def test_policy_is_checked_before_anything_is_sent(published: str) -> None:
    code, _, err = run(
        "query", "run", "--project", str(REPO), "-e", "DROP ALL",
        "--endpoint", f"{published}/query",
    )  # fmt: skip
    assert code == 6 and "updates are refused" in err


@pytest.fixture
def mini_project(project: Path) -> Path:
    code, _, err = run("build", "--project", str(project))
    assert code == 0, err
    return project


def test_failed_upload_leaves_the_published_graph_untouched(
    published: str, mini_project: Path, stub: StubFactory
) -> None:
    before = graph_counts(published)
    broken_store = stub(reply(500, b"Internal error: disk full\n"))
    code, _, err = run(
        "publish", "--project", str(mini_project), "--endpoint", f"{published}/query",
        "--graph", GRAPH, "--store-endpoint", broken_store.url("/store"),
    )  # fmt: skip
    assert code == 4
    assert "internal error (HTTP 500): Internal error: disk full" in err
    assert broken_store.requests and broken_store.requests[0].startswith(b"PUT /store?graph=")
    assert graph_counts(published) == before


def test_failed_verification_leaves_the_published_graph_untouched(
    published: str, mini_project: Path, stub: StubFactory
) -> None:
    before = graph_counts(published)
    forgetful_store = stub(reply(204, b""))  # says yes, keeps nothing
    code, _, err = run(
        "publish", "--project", str(mini_project), "--endpoint", f"{published}/query",
        "--graph", GRAPH, "--store-endpoint", forgetful_store.url("/store"),
    )  # fmt: skip
    assert code == 4
    assert "verification failed" in err and f"<{GRAPH}> was left as it was" in err
    assert graph_counts(published) == before


def test_publish_to_a_new_graph_then_replace_it(published: str, mini_project: Path) -> None:
    other = "https://example.org/azgraph-mini"
    args = ("publish", "--endpoint", f"{published}/query", "--graph", other)
    code, out, err = run(*args, "--project", str(mini_project))
    assert code == 0, err
    mini = graph_counts(published)[other]
    code, out, err = run(*args, "--project", str(REPO))
    assert code == 0, err
    full = len(load_oxigraph(graph_files(Project.at(REPO))))
    assert f"{full} triples (was {mini})" in out
    assert graph_counts(published)[other] == full
    # Leave the server as the other tests expect it.
    request = urllib.request.Request(
        f"{published}/update",
        data=f"DROP GRAPH <{other}>".encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(request, timeout=10).close()


# --- loopback stub servers for faults ----------------------------------------------------------


def reply(
    status: int,
    body: bytes,
    content_type: str = "text/plain",
    *,
    length: bool = True,
    extra: str = "",
) -> Responder:
    def respond(conn: socket.socket, _stopping: threading.Event) -> None:
        head = f"HTTP/1.1 {status} Status\r\nContent-Type: {content_type}\r\n{extra}"
        head += f"Content-Length: {len(body)}\r\n" if length else ""
        conn.sendall(f"{head}Connection: close\r\n\r\n".encode() + body)

    return respond


RESULTS = json.dumps(
    {
        "head": {"vars": ["s"]},
        "results": {
            "bindings": [
                {"s": {"type": "uri", "value": f"https://w3id.org/azgraph/id/pipeline/p{i}"}}
                for i in range(50)
            ]
        },
    }
).encode()
JSON_TYPE = "application/sparql-results+json"


def never_answer(conn: socket.socket, stopping: threading.Event) -> None:
    stopping.wait(60)


def drip_feed(conn: socket.socket, stopping: threading.Event) -> None:
    conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\n\r\n".encode())
    for byte in RESULTS:
        if stopping.wait(0.5):
            return
        conn.sendall(bytes([byte]))


FAULTS: dict[str, tuple[Responder | None, str]] = {
    "refused": (None, "connection refused: nothing is listening there"),
    "400": (
        reply(400, b"Parser error at line 3: unexpected '}'\nsecond line\n"),
        "rejected the request (HTTP 400): Parser error at line 3: unexpected '}'",
    ),
    "401": (
        reply(401, b"", extra='WWW-Authenticate: Basic realm="sparql"\r\n'),
        "the endpoint needs credentials (HTTP 401). Set AZGRAPH_ENDPOINT_USER",
    ),
    "404": (reply(404, b"Not found"), "no SPARQL service at this URL (HTTP 404)"),
    "500": (
        reply(500, b"java.lang.OutOfMemoryError\n"),
        "internal error (HTTP 500): java.lang.OutOfMemoryError",
    ),
    "503": (reply(503, b"busy"), "the endpoint is unavailable (HTTP 503)"),
    "html": (
        reply(
            200,
            b"<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head></html>",
            "text/html",
        ),  # fmt: skip
        "sent an HTML page ('Welcome to nginx!') instead of SPARQL results",
    ),
    "truncated-json": (
        reply(200, RESULTS[: len(RESULTS) // 2], JSON_TYPE, length=False),
        "the JSON results end early",
    ),
    "short-body": (
        lambda conn, _s: conn.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: {len(RESULTS)}"
            f"\r\n\r\n".encode()
            + RESULTS[:100]
        ),
        "the server closed the connection after 100 bytes of a longer answer",
    ),
    "invalid-json": (
        reply(200, b'{"head": {"vars": ["s"]}, "results": oops}', JSON_TYPE),
        "the answer is not valid JSON: Expecting value at line 1, column 38",
    ),
    "not-results": (
        reply(200, b'{"hello": "world"}', "application/json"),
        "the JSON is not SPARQL query results",
    ),
    "never-answers": (never_answer, "accepted the connection but sent no answer within 1.5 s"),
    "drip-feed": (drip_feed, "the answer was still arriving after 1.5 s"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_fault_has_its_own_message_and_exit_4_within_the_timeout(
    fault: str, stub: StubFactory
) -> None:
    respond, message = FAULTS[fault]
    url = stub(respond).url() if respond else f"http://127.0.0.1:{free_port()}/query"
    code, out, err = run(
        "query", "run", "--project", str(REPO), "-e", SELECT, "--endpoint", url, "--timeout", "1.5"
    )
    assert code == 4, err
    assert out == ""
    assert err.startswith(f"error: {url}: ") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_messages_are_distinct() -> None:
    messages = [m for _, m in FAULTS.values()]
    assert len(set(messages)) == len(messages)


# --- credentials -------------------------------------------------------------------------------


def test_credentials_in_the_url_are_refused_and_never_printed(stub: StubFactory) -> None:
    server = stub(reply(200, RESULTS, JSON_TYPE))
    url = server.url().replace("http://", "http://alice:s3cret@")
    code, out, err = run("query", "run", "--project", str(REPO), "-e", SELECT, "--endpoint", url)
    assert code == 6
    assert "credentials in the endpoint URL are refused" in err
    assert "s3cret" not in out + err and "alice" not in out + err
    assert server.requests == []


def test_credentials_from_the_environment_are_sent_but_never_printed(
    stub: StubFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZGRAPH_ENDPOINT_USER", "alice")
    monkeypatch.setenv("AZGRAPH_ENDPOINT_PASSWORD", "s3cret")
    server = stub(reply(200, RESULTS, JSON_TYPE))
    code, out, err = run(
        "query", "run", "--project", str(REPO), "-e", SELECT, "--endpoint", server.url()
    )
    assert code == 0, err
    assert "pipeline:p49" in out
    assert server.header("Authorization") == "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert server.header("User-Agent") == f"azgraph/{__version__}"
    assert "s3cret" not in out + err

    rejecting = stub(reply(401, b"bad password for alice"))
    code, out, err = run(
        "query", "run", "--project", str(REPO), "-e", SELECT, "--endpoint", rejecting.url()
    )
    assert code == 4
    assert "refused the credentials from environment (HTTP 401)" in err
    assert "s3cret" not in out + err


def test_credentials_from_netrc_are_sent(
    stub: StubFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AZGRAPH_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("AZGRAPH_ENDPOINT_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login bob password hunter2\n", encoding="utf-8")
    netrc.chmod(0o600)
    server = stub(reply(200, RESULTS, JSON_TYPE))
    code, out, err = run(
        "query", "run", "--project", str(REPO), "-e", SELECT, "--endpoint", server.url()
    )
    assert code == 0, err
    assert server.header("Authorization") == "Basic " + base64.b64encode(b"bob:hunter2").decode()
    assert "hunter2" not in out + err


def test_the_transport_deadline_also_bounds_a_drip_fed_upload_answer(stub: StubFactory) -> None:
    server = stub(drip_feed)
    with pytest.raises(Exception, match="still arriving after 1 s"):
        http_request("GET", server.url(), headers={}, timeout=1)
