"""Wikidata links and the claims-versus-Wikidata check, tested offline.

The check runs against a real Oxigraph server on 127.0.0.1 loaded with a hand-written fixture in
Wikidata's shape (tests/fixtures/wikidata/fixture.ttl, not real Wikidata data); fault cases use
small loopback servers. Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, SKOS

from azgraph.build.compile import build_graphs
from azgraph.build.mappings import load_links
from azgraph.check.wikidata import (
    CheckReport,
    LocalFact,
    Statement,
    check_links,
    compare,
    date_key,
    labels_query,
    sparql_runner,
    statements_query,
)
from azgraph.cli.main import cli
from azgraph.errors import CurationError, RemoteError
from azgraph.project import Project
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.store import graph_files, load_oxigraph, load_rdflib

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wikidata" / "fixture.ttl"
OXIGRAPH = shutil.which("oxigraph") or str(
    Path(__file__).resolve().parents[2] / ".venv/bin/oxigraph"
)
REPO = Path(__file__).resolve().parents[2]
CHECKED = "https://example.org/test-fixture"
MAPPING = f"""links:
  state:azerbaijan: {{qid: Q227, label: Azerbaijan, checked: "{CHECKED}"}}
  state:armenia: {{qid: Q399, label: Armenia, checked: "{CHECKED}"}}
  conflict:second-nagorno-karabakh-war:
    qid: Q9990001
    label: Second Nagorno-Karabakh War
    checked: "{CHECKED}"
  pipeline:baku-tbilisi-ceyhan: {{qid: Q9990002, label: BTC, checked: "{CHECKED}"}}
  place:baku: {{qid: Q9990003, label: Baku, checked: "{CHECKED}"}}
  place:ceyhan: {{qid: null, note: not verified}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server on 127.0.0.1 holding the Wikidata-shaped fixture."""
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(location), "--file", str(FIXTURE)],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def linked(project: Path) -> Path:
    (project / "mappings").mkdir()
    (project / "mappings" / "wikidata.yaml").write_text(MAPPING, encoding="utf-8")
    build_graphs(Project.at(project))
    return project


def _report(project: Path, endpoint: str) -> CheckReport:
    proj = Project.at(project)
    store = load_oxigraph(graph_files(proj))
    links = load_links(proj.root / "mappings" / "wikidata.yaml")
    return check_links(store, links, sparql_runner(endpoint, timeout=10), endpoint=endpoint)


def _status(report: CheckReport, entity: str, fact: str) -> str:
    found = [f.status for f in report.findings if f.fact.entity == entity and fact in f.title]
    assert len(found) == 1, (entity, fact, [(f.fact.entity, f.title) for f in report.findings])
    return str(found[0])


# --- links in the build ---------------------------------------------------------------------


def test_build_writes_links_with_their_checked_source(linked: Path) -> None:
    graph = load_rdflib(graph_files(Project.at(linked)))
    azerbaijan = URIRef("https://w3id.org/azgraph/id/state/azerbaijan")
    wd = URIRef("http://www.wikidata.org/entity/Q227")
    assert (azerbaijan, SKOS.exactMatch, wd) in graph
    axiom = next(graph.subjects(OWL.annotatedTarget, wd))
    assert graph.value(axiom, AZ.checkedAt) == URIRef(CHECKED)
    ceyhan = URIRef("https://w3id.org/azgraph/id/place/ceyhan")
    assert not list(graph.objects(ceyhan, SKOS.exactMatch))


def test_linked_graph_still_conforms_and_is_fresh(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--project", str(linked)])
    assert result.exit_code == 0, result.output
    build_graphs(Project.at(linked), check=True)


def test_a_project_without_mappings_gets_no_links_file(project: Path) -> None:
    build_graphs(Project.at(project))
    assert not (project / "data" / "links.ttl").exists()


def test_a_link_to_an_undeclared_entity_is_an_error_with_its_line(project: Path) -> None:
    (project / "mappings").mkdir()
    text = f'links:\n  state:atlantis: {{qid: Q1, label: A, checked: "{CHECKED}"}}\n'
    (project / "mappings" / "wikidata.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=r"wikidata.yaml:2: state:atlantis is not declared"):
        build_graphs(Project.at(project))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{qid: 227, label: A, checked: 'https://x.org'}", "not a Wikidata item id"),
        ("{qid: Q227, label: A}", "needs the Wikidata 'label' and a 'checked' URL"),
        ("{qid: Q227, label: A, checked: 'see my notes'}", "'checked' URL"),
        ("{qid: null}", "has no qid and no note"),
        ("{qid: Q227, label: A, checked: 'https://x.org', weight: '3'}", "unknown field"),
    ],
)
def test_a_bad_link_entry_is_refused(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "wikidata.yaml"
    path.write_text(f"links:\n  state:azerbaijan: {body}\n", encoding="utf-8")
    with pytest.raises(CurationError, match=message):
        load_links(path)


def test_one_qid_for_two_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wikidata.yaml"
    entry = "{qid: Q227, label: A, checked: 'https://x.org'}"
    path.write_text(f"links:\n  state:a: {entry}\n  state:b: {entry}\n", encoding="utf-8")
    with pytest.raises(CurationError, match="Q227 is given to both state:a"):
        load_links(path)


# --- the check against the fixture server ---------------------------------------------------


@pytest.mark.server
def test_check_finds_agreements_a_disagreement_and_missing_facts(
    linked: Path, endpoint: str
) -> None:
    report = _report(linked, endpoint)
    statuses = {f.status for f in report.findings}
    assert {"agree", "disagree", "not in Wikidata", "not linked"} <= statuses
    war, pipe = "conflict:second-nagorno-karabakh-war", "pipeline:baku-tbilisi-ceyhan"
    assert _status(report, war, "start time") == "agree"  # 2020 (year) vs 2020-09-27 (day)
    assert _status(report, pipe, "service entry") == "disagree"  # 2006 vs 2005-05-25
    assert _status(report, pipe, "length") == "not in Wikidata"  # only a deprecated value
    assert _status(report, pipe, "start point") == "agree"
    assert _status(report, pipe, "end point") == "not linked"  # place:ceyhan has no QID
    assert _status(report, "state:armenia", "English label") == "agree"  # via the alias
    assert [link.entity for link in report.unverified] == ["place:ceyhan"]


@pytest.mark.server
def test_the_report_shows_the_quote_beside_wikidatas_value(linked: Path, endpoint: str) -> None:
    result = CliRunner().invoke(
        cli, ["wikidata", "check", "--project", str(linked), "--endpoint", endpoint]
    )
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "service entry" in line)
    assert "| 2006 |" in row and "2005-05-25" in row and "**disagree**" in row
    assert "| Construction began in 2003 and entered into operation three years later. |" in row
    assert "checked against " + endpoint in result.output


@pytest.mark.server
def test_write_disputes_then_build_marks_the_fact_and_the_query_lists_it(
    linked: Path, endpoint: str
) -> None:
    runner = CliRunner()
    args = ["wikidata", "check", "--project", str(linked), "--endpoint", endpoint]
    result = runner.invoke(cli, [*args, "--write-disputes", "--format", "json"])
    assert result.exit_code == 0, result.output
    disputes = (linked / "mappings" / "disputes.yaml").read_text(encoding="utf-8")
    assert "p: serviceEntry" in disputes and 'other: "2005-05-25"' in disputes
    again = runner.invoke(cli, [*args, "--write-disputes"])
    assert "0 new disputes" in again.output
    build_graphs(Project.at(linked))
    graph = load_rdflib(graph_files(Project.at(linked)))
    axioms = list(graph.subjects(AZ.otherValue, Literal("2005-05-25")))
    assert len(axioms) == 1
    assert graph.value(axioms[0], AZ.otherValueSource) == URIRef(
        "http://www.wikidata.org/entity/Q9990002"
    )
    assert runner.invoke(cli, ["validate", "--project", str(linked)]).exit_code == 0
    listed = runner.invoke(
        cli, ["query", "run", "disputed-vs-wikidata", "--project", str(linked), "-f", "csv"]
    )
    assert listed.exit_code == 0, listed.output
    assert "serviceEntry" in listed.output and "2005-05-25" in listed.output


@pytest.mark.server
def test_queries_are_batched_with_values(endpoint: str) -> None:
    runner = sparql_runner(endpoint, timeout=10)
    rows = runner(labels_query(["Q227", "Q399", "Q9990001"]))
    assert {r["item"]["value"].rsplit("/", 1)[1] for r in rows} == {"Q227", "Q399", "Q9990001"}
    query = statements_query(["Q9990001", "Q9990002"], ["P580", "P729"])
    assert "VALUES ?item { wd:Q9990001 wd:Q9990002 }" in query
    assert {r["pid"]["value"] for r in runner(query)} == {"P580", "P729"}


def test_a_dispute_for_a_fact_that_does_not_exist_is_an_error(linked: Path) -> None:
    text = (
        'disputes:\n  - s: pipeline:baku-tbilisi-ceyhan\n    p: serviceEntry\n    v: "1999"\n'
        '    other: "2005"\n    source: Q9990002\n    checked: https://x.org\n    note: n\n'
    )
    (linked / "mappings" / "disputes.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=r"disputes.yaml:2: no fact .*az:serviceEntry 1999"):
        build_graphs(Project.at(linked))


# --- endpoint faults (loopback only) --------------------------------------------------------


def test_an_unreachable_endpoint_exits_4_with_one_line(linked: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    result = CliRunner().invoke(
        cli, ["wikidata", "check", "--project", str(linked), "--endpoint", url]
    )
    assert result.exit_code == 4
    assert f"{url}: cannot reach the endpoint" in result.output
    assert "Traceback" not in result.output


class _Stub(http.server.BaseHTTPRequestHandler):
    replies: list[tuple[int, bytes]] = []
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        _Stub.seen.append(self.headers.get("User-Agent", ""))
        code, body = _Stub.replies.pop(0) if len(_Stub.replies) > 1 else _Stub.replies[0]
        self.send_response(code)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Stub.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


EMPTY = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()


def test_busy_answers_are_retried_with_a_polite_user_agent(stub: str) -> None:
    _Stub.replies = [(429, b"slow down"), (503, b"busy"), (200, EMPTY)]
    assert sparql_runner(stub, timeout=5, retries=3, backoff=0.01)("SELECT * WHERE {}") == []
    assert len(_Stub.seen) == 3
    assert all(agent.startswith("azgraph/") and "https://" in agent for agent in _Stub.seen)


def test_retries_give_up_with_a_remote_error(stub: str) -> None:
    _Stub.replies = [(429, b"slow down")]
    with pytest.raises(RemoteError, match="answered HTTP 429 after 3 tries"):
        sparql_runner(stub, timeout=5, retries=2, backoff=0.01)("SELECT * WHERE {}")


def test_html_instead_of_results_is_a_remote_error(stub: str) -> None:
    _Stub.replies = [(200, b"<html>maintenance</html>")]
    with pytest.raises(RemoteError, match="not SPARQL JSON results"):
        sparql_runner(stub, timeout=5)("SELECT * WHERE {}")


def test_a_silent_server_stops_at_the_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with pytest.raises(RemoteError, match="no (complete )?answer within"):
            sparql_runner(url, timeout=0.5, retries=0)("SELECT * WHERE {}")


# --- comparison rules -----------------------------------------------------------------------


def _fact(kind: str, value: str, precision: str | None = None, **kw: str) -> LocalFact:
    prop = {"date": "startTime", "length": "lengthKm", "office-date": "startTime"}[kind]
    pid = {"date": "P580", "length": "P2043", "office-date": "P39"}[kind]
    return LocalFact("x:y", "Q1", "x:y", prop, pid, kind, value, precision, **kw)


def test_dates_are_compared_at_the_coarser_precision() -> None:
    assert date_key("1988-02-20T00:00:00Z", 9) == "1988"
    fact = _fact("date", "1986-01-01T00:00:00", "year")
    day = {("Q1", "P580"): [Statement("1988-02-20T00:00:00Z", 11)]}
    assert compare(fact, {}, day).status == "disagree"
    assert compare(fact, {}, day).theirs == "1988-02-20"
    month = _fact("date", "1988-02-01T00:00:00", "month")
    assert compare(month, {}, day).status == "agree"
    decade = {("Q1", "P580"): [Statement("1980-01-01T00:00:00Z", 8)]}
    assert compare(fact, {}, decade).status == "agree"


def test_lengths_are_compared_in_kilometres() -> None:
    fact = _fact("length", "1768")
    metres = {("Q1", "P2043"): [Statement("1768000", unit="Q11573")]}
    assert compare(fact, {}, metres).status == "agree"
    miles = {("Q1", "P2043"): [Statement("1099", unit="Q253276")]}
    assert compare(fact, {}, miles).status == "agree"
    other = {("Q1", "P2043"): [Statement("1776", unit="Q828224")]}
    assert compare(fact, {}, other).status == "disagree"


def test_office_dates_use_the_position_held_qualifiers() -> None:
    fact = _fact("office-date", "1993-01-01T00:00:00", "year", target="Q5")
    held = {("Q1", "P39"): [Statement("Q5", start=("1993-06-15T00:00:00Z", 11))]}
    assert compare(fact, {}, held).status == "agree"
    elsewhere = {("Q1", "P39"): [Statement("Q6", start=("1993-06-15T00:00:00Z", 11))]}
    assert compare(fact, {}, elsewhere).status == "not in Wikidata"


# --- the real repository --------------------------------------------------------------------


def test_every_real_link_cites_where_it_was_checked() -> None:
    links = load_links(REPO / "mappings" / "wikidata.yaml")
    assert links, "mappings/wikidata.yaml has no entries"
    for link in links:
        assert (link.qid and link.checked and link.label) or (not link.qid and link.note)
