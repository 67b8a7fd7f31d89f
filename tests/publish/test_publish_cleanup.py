"""A failed publish leaves no staging graph behind, and says so (#16).

A real `oxigraph serve` (in memory) sits behind a small forwarding proxy on 127.0.0.1 that
fails chosen requests: the upload reaches the real store, then the check of the staging graph
fails. Afterwards the server must hold exactly what it held before.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli

pytestmark = pytest.mark.server

GRAPH = "https://w3id.org/azgraph/graph"
Fails = Callable[[str, str, str], bool]  # (method, path, body) -> answer 500 instead


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ask(base: str, text: str) -> dict:  # type: ignore[type-arg]
    data = urllib.parse.urlencode({"query": text}).encode()
    headers = {"Accept": "application/sparql-results+json"}
    request = urllib.request.Request(f"{base}/query", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def graph_counts(base: str) -> dict[str, int]:
    doc = _ask(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}


@pytest.fixture
def oxigraph() -> Iterator[str]:
    """The real server, in memory, writable, on a free loopback port."""
    binary = Path(sys.executable).parent / "oxigraph"
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _ask(base, "ASK {}")
            break
        except OSError:
            assert process.poll() is None, "oxigraph serve exited"
            assert time.monotonic() < deadline, "oxigraph serve did not answer within 30 s"
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture
def proxy(oxigraph: str) -> Iterator[Callable[[Fails], str]]:
    """A forwarding proxy to the real server that answers 500 to the requests ``fails`` picks."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(fails: Fails) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if fails(self.command, self.path, urllib.parse.unquote_plus(body.decode())):
                    self.send_response(500)
                    self.send_header("Content-Length", "14")
                    self.end_headers()
                    self.wfile.write(b"proxy says no\n")
                    return
                skip = {"host", "content-length", "connection"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                request = urllib.request.Request(
                    oxigraph + self.path, data=body or None, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, answer, kind = response.status, response.read(), response.headers
                except urllib.error.HTTPError as exc:
                    status, answer, kind = exc.code, exc.read(), exc.headers
                self.send_response(status)
                self.send_header("Content-Type", kind.get("Content-Type", "text/plain"))
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = _forward  # noqa: N815 (http.server's names)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def built(project: Path) -> Path:
    result = CliRunner().invoke(cli, ["build", "--project", str(project)])
    assert result.exit_code == 0, result.stderr
    return project


def publish(project: Path, base: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["publish", "--project", str(project), "--endpoint", f"{base}/query", "--graph", GRAPH]
    )
    return result.exit_code, result.stderr


def _counts_staging(method: str, path: str, body: str) -> bool:
    return path.startswith("/query") and "-staging-" in body


def test_issue_16_a_failed_check_drops_the_staging_graph_and_says_so(
    built: Path, oxigraph: str, proxy: Callable[[Fails], str]
) -> None:
    code, err = publish(built, oxigraph)  # a live graph to keep
    assert code == 0, err
    before = graph_counts(oxigraph)
    uploads: list[str] = []

    def fails(method: str, path: str, body: str) -> bool:
        if method == "PUT":
            uploads.append(path)
        return _counts_staging(method, path, body)

    code, err = publish(built, proxy(fails))
    assert code == 4, err
    assert uploads, "the upload never reached the server"
    staging = urllib.parse.unquote(uploads[0].split("graph=", 1)[1])
    assert f"the staging graph <{staging}> was dropped" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert graph_counts(oxigraph) == before


def test_issue_16_a_staging_graph_that_cannot_be_dropped_is_named_with_the_fix(
    built: Path, oxigraph: str, proxy: Callable[[Fails], str]
) -> None:
    def fails(method: str, path: str, body: str) -> bool:
        return _counts_staging(method, path, body) or path.startswith("/update")

    code, err = publish(built, proxy(fails))
    assert code == 4, err
    left = [g for g in graph_counts(oxigraph) if "-staging-" in g]
    assert len(left) == 1
    assert f"the staging graph <{left[0]}> could not be dropped (" in err
    assert f"remove it with DROP GRAPH <{left[0]}>" in err and err.count("\n") == 1
