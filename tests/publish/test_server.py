"""`azgraph serve` under hostile requests, from 127.0.0.1: a real server in a subprocess.

Each server is the CLI itself (`python -m azgraph serve`), so signals, its children and its
temporary files behave as for a user. Hostile requests are refused with a status and one line,
while ordinary queries keep being answered; writes need the token and the server's own origin;
a SIGKILL of azgraph leaves no engine and no files behind.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.project import Project
from azgraph.query.endpoint import http_request, run_remote
from azgraph.query.queries import load_queries, run_local
from azgraph.query.transport import HttpAnswer
from azgraph.rdf.store import graph_files, load_oxigraph
from tests.conftest import comparable

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[2]
QUERIES = load_queries(REPO / "queries")
TOKEN = "test-token-0123456789abcdef"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Served:
    """`azgraph serve` in a subprocess, on a free port, killed after 120 s at the latest."""

    def __init__(
        self, *options: str, env: dict[str, str] | None = None, project: Path = REPO
    ) -> None:
        command = [
            *(sys.executable, "-m", "azgraph", "serve"),
            *("--project", str(project), "--port", "0"),
        ]
        self.process = subprocess.Popen(
            [*command, *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.killer = threading.Timer(120, self.process.kill)  # never hang the suite
        self.killer.start()
        lines: list[str] = []
        while not lines or "Ctrl-C" not in lines[-1]:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                self.close()
                raise AssertionError(f"serve ended early: {self.process.stderr.read()}")  # type: ignore[union-attr]
            lines.append(line)
        self.banner = "".join(lines)
        self.base = self.banner.split("SPARQL query endpoint: ", 1)[1].split("/query", 1)[0]
        self.port = int(self.base.rsplit(":", 1)[1])

    def engine_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(p) for p in children.read_text().split()]
        engines = [p for p in pids if "oxigraph" in Path(f"/proc/{p}/cmdline").read_text()]
        assert len(engines) == 1, pids
        return engines[0]

    def close(self) -> None:
        self.killer.cancel()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(
        self, method: str, path: str, body: bytes | None = None, timeout: float = 20, **headers: str
    ) -> HttpAnswer:
        names = {k.replace("_", "-"): v for k, v in headers.items()}
        return http_request(method, self.base + path, headers=names, body=body, timeout=timeout)

    def query(self, text: str, timeout: float = 20, **headers: str) -> HttpAnswer:
        body = urllib.parse.urlencode({"query": text}).encode()
        form = {"Content_Type": "application/x-www-form-urlencoded"}
        return self.request("POST", "/query", body, timeout, **form, **headers)

    def update(self, text: str, **headers: str) -> HttpAnswer:
        body = urllib.parse.urlencode({"update": text}).encode()
        form = {"Content_Type": "application/x-www-form-urlencoded"}
        return self.request("POST", "/update", body, 20, **form, **headers)

    def count(self) -> int:
        answer = self.query(COUNT, Accept="application/sparql-results+json")
        assert answer.status == 200, answer.body
        return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    server = Served("--timeout", "1", "--client-timeout", "5", "--max-result-mb", "1")
    yield server
    server.close()


@pytest.fixture(scope="module")
def writable() -> Iterator[Served]:
    server = Served("--writable", env={"AZGRAPH_SERVE_TOKEN": TOKEN})
    yield server
    server.close()


class Listener:
    """A loopback socket that counts the connections it receives (it must get none)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                return count
            conn.close()
            count += 1


def one_line(answer: HttpAnswer) -> str:
    text = answer.body.decode("utf-8")
    assert text.endswith("\n") and "\n" not in text[:-1], text
    assert answer.content_type.startswith("text/plain"), answer.content_type
    return text.strip()


def deep_query(depth: int = 5000) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def many_patterns(count: int) -> str:
    body = " ".join(f"?s{i} <http://example.org/p> ?o{i} ." for i in range(count))
    return f"SELECT * WHERE {{ {body} }}"


# --- ordinary use -----------------------------------------------------------------------------


def test_serve_answers_like_a_local_run_and_serves_the_query_page(served: Served) -> None:
    query = QUERIES["pipelines"]
    remote = run_remote(f"{served.base}/query", query, {}, timeout=30)
    local = run_local(load_oxigraph(graph_files(Project.at(REPO))), query, {})
    assert [tuple(map(comparable, r)) for r in remote.rows] == [
        tuple(map(comparable, r)) for r in local.rows
    ]
    page = served.request("GET", "/")
    assert page.status == 200 and b"azgraph query page" in page.body
    assert served.request("GET", "/yasgui.min.js").status == 404
    get = served.request("GET", "/query?" + urllib.parse.urlencode({"query": COUNT}))
    assert get.status == 200
    assert f"Query page (browser): {served.base}/" in served.banner
    assert "read-only" in served.banner and "1 s per query" in served.banner


# --- hostile requests on the read-only server ----------------------------------------------


def test_deeply_nested_query_is_refused_with_400(served: Served) -> None:
    answer = served.query(deep_query())
    assert answer.status == 400
    assert "nest 5002 deep" in one_line(answer)
    assert served.count() > 0  # the engine is still up


def test_ten_thousand_patterns_are_refused(served: Served) -> None:
    big = served.query(many_patterns(10_000))  # 107 KB: over the length limit
    assert big.status == 413 and "longer than" in one_line(big)
    under = many_patterns(2_000)  # under the length limit, over the pattern limit
    answer = served.request(
        "POST", "/query", under.encode(), Content_Type="application/sparql-query"
    )
    assert answer.status == 400 and "triple patterns" in one_line(answer)
    assert served.count() > 0


def test_service_is_refused_and_nothing_is_contacted(served: Served) -> None:
    listener = Listener()
    for text in (
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERV\\u0049CE <{listener.url}> {{ ?s ?p ?o }} }}",
    ):
        answer = served.query(text)
        assert answer.status == 403 and "SERVICE is refused" in one_line(answer)
    get = served.request("GET", "/query?" + urllib.parse.urlencode({"query": text}))
    assert get.status == 403
    assert listener.connections() == 0


def test_from_is_refused(served: Served) -> None:
    answer = served.query("SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }")
    assert answer.status == 403 and "FROM" in one_line(answer)


def test_cross_join_stops_at_the_time_limit(served: Served) -> None:
    started = time.monotonic()
    answer = served.query(CROSS_JOIN, timeout=30)
    assert answer.status == 504
    assert "longer than the server's limit of 1 s" in one_line(answer)
    assert time.monotonic() - started < 10  # hang detection, not a speed test
    assert served.count() > 0


def test_large_answer_is_refused_at_the_size_limit(served: Served) -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    answer = served.query(text, Accept="application/n-triples")
    assert answer.status == 507 and "larger than the server's limit" in one_line(answer)


def test_updates_and_writes_are_refused_when_read_only(served: Served) -> None:
    before = served.count()
    drop = served.update("DROP ALL")
    assert drop.status == 403 and "read-only" in one_line(drop)
    put = served.request("PUT", "/store?default", b"", Content_Type="application/n-triples")
    assert put.status == 403
    assert served.count() == before


def test_half_open_connections_do_not_stall_queries(served: Served) -> None:
    idle = []
    try:
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", served.port), timeout=5)
            sock.sendall(b"GET /query?query=SELECT HTTP/1.1\r\nHost: x\r\n")  # never finished
            idle.append(sock)
        assert served.count() > 0
    finally:
        for sock in idle:
            sock.close()


def test_hostile_mix_while_ordinary_queries_are_answered(served: Served) -> None:
    expected = served.count()
    listener = Listener()
    hostile = [
        deep_query(),
        many_patterns(2_000),
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        CROSS_JOIN,
        "LOAD <" + listener.url + ">",
    ]
    statuses: list[int] = []

    def attack(text: str) -> None:
        statuses.append(served.query(text, timeout=30).status)

    threads = [threading.Thread(target=attack, args=(text,)) for text in hostile]
    for thread in threads:
        thread.start()
    answered = [served.count() for _ in range(10)]
    for thread in threads:
        thread.join(30)
    assert answered == [expected] * 10
    assert sorted(statuses) == [400, 400, 403, 403, 504]
    assert listener.connections() == 0


def test_unknown_paths_and_methods_get_one_line(served: Served) -> None:
    assert served.request("GET", "/admin").status == 404
    assert one_line(served.request("DELETE", "/query")).startswith("DELETE is not allowed")


# --- writes -----------------------------------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_writes_need_the_token(writable: Served) -> None:
    before = writable.count()
    answer = writable.update("DROP ALL")
    assert answer.status == 401 and "token" in one_line(answer)
    assert writable.update("DROP ALL", Authorization="Bearer wrong").status == 401
    assert writable.count() == before
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> 'c' }"
    own_origin = f"http://127.0.0.1:{writable.port}"
    answer = writable.update(insert, Authorization=f"Bearer {TOKEN}", Origin=own_origin)
    assert answer.status == 204, answer.body
    assert writable.count() == before + 1
    delete = "DELETE DATA { <http://example.org/a> <http://example.org/b> 'c' }"
    assert writable.update(delete, Authorization=basic("anyone", TOKEN)).status == 204
    assert writable.count() == before


def test_cross_origin_form_post_cannot_write(writable: Served) -> None:
    before = writable.count()
    for origin in ("http://evil.example", "null"):
        answer = writable.update("DROP ALL", Origin=origin, Authorization=basic("x", TOKEN))
        assert answer.status == 403 and "cross-origin" in one_line(answer)
    assert writable.count() == before


def test_load_and_service_are_refused_even_with_the_token(writable: Served) -> None:
    listener = Listener()
    bearer = f"Bearer {TOKEN}"
    load = writable.update(f"LOAD <{listener.url}>", Authorization=bearer)
    assert load.status == 403 and "LOAD is refused" in one_line(load)
    service = f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    assert writable.update(service, Authorization=bearer).status == 403
    assert listener.connections() == 0


def test_publish_to_a_writable_server_with_the_token(
    writable: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZGRAPH_ENDPOINT_USER", "azgraph")
    monkeypatch.setenv("AZGRAPH_ENDPOINT_PASSWORD", TOKEN)
    graph = "https://w3id.org/azgraph/test-graph"
    args = ["publish", "--project", str(REPO), "--endpoint", f"{writable.base}/query"]
    result = CliRunner().invoke(cli, [*args, "--graph", graph])
    assert result.exit_code == 0, result.stderr
    assert f"published <{graph}>" in result.stdout
    monkeypatch.setenv("AZGRAPH_ENDPOINT_PASSWORD", "wrong-password")
    refused = CliRunner().invoke(cli, [*args, "--graph", graph])
    assert refused.exit_code == 4 and "HTTP 401" in refused.stderr


def test_banner_prints_the_token_source_and_limits(writable: Served) -> None:
    assert "Write token: (from AZGRAPH_SERVE_TOKEN)" in writable.banner
    assert TOKEN not in writable.banner
    assert "30 s per query" in writable.banner


# --- exit paths -------------------------------------------------------------------------------


def wait_gone(pid: int, limit: float = 10.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        state = Path(f"/proc/{pid}/stat")
        if state.exists() and state.read_text().split(") ", 1)[1].startswith("Z"):
            return True  # a zombie: dead, waiting for its (new) parent to reap it
        time.sleep(0.05)
    return False


def test_sigkill_of_serve_leaves_no_engine_and_no_files(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = Served(env={"TMPDIR": str(temp)})
    try:
        engine = server.engine_pid()
        assert server.count() > 0
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
        assert wait_gone(engine), "the oxigraph engine outlived azgraph serve"
        assert list(temp.iterdir()) == []
    finally:
        server.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_signals_stop_serve_and_its_engine(signum: int) -> None:
    server = Served()
    try:
        engine = server.engine_pid()
        server.process.send_signal(signum)
        assert server.process.wait(20) == 0
        assert "Stopped" in server.process.stdout.read()  # type: ignore[union-attr]
        assert wait_gone(engine)
    finally:
        server.close()


def test_engine_that_dies_stops_serve_with_exit_4() -> None:
    server = Served()
    try:
        os.kill(server.engine_pid(), signal.SIGKILL)
        assert server.process.wait(20) == 4
        assert "the oxigraph engine stopped by itself" in server.process.stderr.read()  # type: ignore[union-attr]
    finally:
        server.close()
