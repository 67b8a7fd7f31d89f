"""The one HTTP client (query/transport.py): one deadline for the whole exchange, a size cap, no
redirects, and the SPARQL request on the wire as it was.

Every server here is a real socket on 127.0.0.1 that misbehaves on purpose; the clock is real.
"""

from __future__ import annotations

import ast
import asyncio
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from azgraph import __version__
from azgraph.check.wikidata import sparql_runner
from azgraph.errors import InputError, RemoteError
from azgraph.query import transport
from azgraph.query.endpoint import Credentials, check_url, http_request, send, sparql_request
from azgraph.query.queries import parse_query_text
from tests.conftest import REPO
from tests.query.stubs import Responder, StubFactory

pytestmark = pytest.mark.server

JSON_TYPE = "application/sparql-results+json"
EMPTY = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'


def answer(status: str, body: bytes, extra: str = "") -> Responder:
    def respond(conn: socket.socket, _stopping: threading.Event) -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: {len(body)}\r\n"
        conn.sendall(f"{head}{extra}Connection: close\r\n\r\n".encode() + body)

    return respond


def trickle(head: bytes, body: bytes) -> Responder:
    """Send ``head`` at once, then ``body`` one byte a second: every read succeeds in time."""

    def respond(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(head)
        for byte in body:
            conn.sendall(bytes([byte]))
            if stopping.wait(1.0):
                return

    return respond


HEAD = f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\nContent-Length: {len(EMPTY)}\r\n\r\n"


def _timed(work: Callable[[], object]) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(RemoteError) as caught:
        work()
    return str(caught.value), time.monotonic() - start


# --- one deadline ------------------------------------------------------------------------------


def test_a_body_trickled_a_byte_a_second_is_cut_off_at_the_deadline(
    stub: StubFactory,
) -> None:
    server = stub(trickle(HEAD.encode(), EMPTY))
    message, took = _timed(
        lambda: http_request("POST", server.url("/sparql"), headers={}, timeout=2.5)
    )
    assert message == (
        f"{server.url('/sparql')}: the answer was still arriving after 2.5 s (a slow or stalled response). "
        "Try a larger --timeout, or a LIMIT on the query."
    )
    assert 2.5 <= took < 3.5


def test_headers_trickled_a_byte_a_second_are_cut_off_at_the_deadline(
    stub: StubFactory,
) -> None:
    server = stub(trickle(b"", HEAD.encode()))
    message, took = _timed(
        lambda: http_request("POST", server.url("/sparql"), headers={}, timeout=2.5)
    )
    assert "accepted the connection but sent no answer within 2.5 s" in message
    assert 2.5 <= took < 3.5


def test_wikidata_check_is_cut_off_at_the_same_deadline(
    stub: StubFactory,
) -> None:
    server = stub(trickle(HEAD.encode(), EMPTY))
    run = sparql_runner(server.url("/sparql"), timeout=2.5, retries=0)
    message, took = _timed(lambda: run("SELECT ?s WHERE { ?s ?p ?o }"))
    assert message == (
        f"{server.url('/sparql')}: no complete answer within 2.5 s. Try again later, or raise --timeout."
    )
    assert 2.5 <= took < 3.5


# --- size, redirects, statuses -----------------------------------------------------------------


def test_an_answer_over_the_size_cap_is_refused(
    stub: StubFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "MAX_RESPONSE_BYTES", 2**20)
    server = stub(answer("200 OK", b" " * (2 * 2**20)))
    with pytest.raises(RemoteError, match=r"the answer is larger than 1 MB\. Add a LIMIT"):
        http_request("POST", server.url("/sparql"), headers={}, timeout=10)
    # wikidata check goes through the same client, so the same cap holds there
    with pytest.raises(RemoteError, match=r"the answer is larger than 1 MB"):
        sparql_runner(server.url("/sparql"), timeout=10, retries=0)("SELECT ?s WHERE { ?s ?p ?o }")


def test_a_redirect_is_reported_not_followed(stub: StubFactory) -> None:
    elsewhere = stub(answer("200 OK", EMPTY))
    moved = stub(answer("302 Found", b"", f"Location: {elsewhere.url('/sparql')}\r\n"))
    with pytest.raises(RemoteError, match=r"answered HTTP 302 Found$"):
        sparql_runner(moved.url("/sparql"), timeout=5, retries=0)("SELECT ?s WHERE { ?s ?p ?o }")
    request = sparql_request(
        moved.url("/sparql"), "ASK {}", credentials=Credentials("alice", "s3cret")
    )
    with pytest.raises(RemoteError, match="the endpoint answered HTTP 302 Found"):
        send(request, timeout=5, credentials=None)
    assert len(moved.requests) == 2 and elsewhere.requests == []  # the password stayed home


def test_wikidata_check_shows_what_the_server_said_about_a_bad_query(
    stub: StubFactory,
) -> None:
    server = stub(answer("400 Bad Request", b"Parse error: line 1, unexpected '}'\nmore\n"))
    with pytest.raises(RemoteError) as caught:
        sparql_runner(server.url("/sparql"), timeout=5, retries=0)("SELECT ?s WHERE { ?s ?p ?o }")
    assert str(caught.value) == (
        f"{server.url('/sparql')}: answered HTTP 400 Bad Request: Parse error: line 1, unexpected '}}' more"
    )


# --- the request on the wire -------------------------------------------------------------------


def test_the_sparql_request_is_the_protocol_post_it_always_was(
    stub: StubFactory,
) -> None:
    server = stub(answer("200 OK", EMPTY))
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    request = sparql_request(
        server.url("/sparql"), text, credentials=Credentials("alice", "s3cret")
    )
    send(request, timeout=5, credentials=None)
    head, _, body = server.requests[0].partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert lines[0] == "POST /sparql HTTP/1.1"
    assert parse_qs(body.decode()) == {
        "query": [text], "format": ["json"], "output": ["json"], "results": ["json"]
    }  # fmt: skip
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert headers["accept"] == (
        "application/sparql-results+json,application/json,text/javascript,application/javascript"
    )
    assert headers["authorization"] == "Basic YWxpY2U6czNjcmV0"
    assert headers["user-agent"] == f"azgraph/{__version__}"
    assert headers["accept-encoding"] == "identity"  # the size cap counts the bytes kept


def test_a_remote_query_runs_from_inside_an_event_loop(
    stub: StubFactory,
) -> None:
    from azgraph.query.endpoint import run_remote

    server = stub(answer("200 OK", EMPTY))
    query = parse_query_text("SELECT ?s WHERE { ?s ?p ?o }", name="-e")

    async def notebook_cell() -> int:
        return len(run_remote(server.url("/sparql"), query, {}, timeout=5).rows)

    assert asyncio.run(notebook_cell()) == 0


# --- one client --------------------------------------------------------------------------------

CLIENTS = {"urllib.request", "http.client", "requests", "urllib3", "httpx", "httpcore"}
LOCAL_ENGINE = {"publish/server.py", "publish/serverproxy.py"}  # serve's own loopback engine


def _clients(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name for name in names if name in CLIENTS or name.startswith("SPARQLWrapper")}


def test_every_remote_request_goes_through_the_one_client() -> None:
    src = REPO / "src" / "azgraph"
    found = {str(p.relative_to(src)): used for p in src.rglob("*.py") if (used := _clients(p))}
    assert found.pop("query/transport.py") == {"httpcore"}
    assert set(found) <= LOCAL_ENGINE and all(used == {"http.client"} for used in found.values())
    declared = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "SPARQLWrapper" not in declared and '"httpcore' in declared


# --- a port that cannot be -------------------------------------------------------------------


def test_a_port_out_of_range_is_one_line_not_a_traceback() -> None:
    url = "http://127.0.0.1:99999/sparql"
    with pytest.raises(RemoteError) as caught:
        sparql_runner(url, timeout=5, retries=0)("SELECT ?s WHERE { ?s ?p ?o }")
    assert str(caught.value) == (
        f"{url}: cannot reach the endpoint: Port out of range 0-65535. "
        "Check the network connection, or pass --endpoint URL."
    )
    with pytest.raises(InputError, match="not an http\\(s\\) endpoint URL"):
        check_url(url)
