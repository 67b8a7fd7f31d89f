"""Nothing reaches the network unless the user asked: checked at the OS level and with a
loopback listener that records every connection."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.check.validate import load_shapes
from azgraph.cli.main import cli
from azgraph.errors import PolicyError

REPO = Path(__file__).resolve().parent.parent


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "LOAD <http://127.0.0.1:{port}/data.ttl>",
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    ],
)
def test_queries_that_would_reach_out_are_refused_and_nothing_connects(
    listener: Listener, template: str
) -> None:
    result = CliRunner().invoke(
        cli, ["query", "run", "-e", template.format(port=listener.port), "--project", str(REPO)]
    )
    assert result.exit_code == 6, result.stderr
    assert "refused" in result.stderr
    assert listener.connections == 0


def test_a_shacl_sparql_constraint_with_service_is_refused(
    tmp_path: Path, listener: Listener
) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(REPO / "shapes", shapes)
    (shapes / "evil.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        'ex:Evil a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select """\n'
        f'SELECT $this WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ $this ?p ?o }} }}""" ] .\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="SERVICE is refused"):
        load_shapes(shapes)
    assert listener.connections == 0


def test_a_remote_owl_import_is_never_fetched(project: Path, listener: Listener) -> None:
    ontology = project / "ontology" / "azgraph.ttl"
    ontology.write_text(
        ontology.read_text(encoding="utf-8")
        + f"\n<https://w3id.org/azgraph/ontology> <http://www.w3.org/2002/07/owl#imports> "
        f"<http://127.0.0.1:{listener.port}/other.owl> .\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--project", str(project)]).exit_code == 0
    assert runner.invoke(cli, ["validate", "--project", str(project)]).exit_code == 0
    assert listener.connections == 0


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return (
        subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0
    )


@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare(1) for a network namespace")
def test_the_cli_works_with_no_network_at_all() -> None:
    """In a fresh network namespace there is no route anywhere: every command must still work."""
    for args in (["build", "--check"], ["query", "run", "pipelines"], ["validate"]):
        result = subprocess.run(
            ["unshare", "-n", sys.executable, "-m", "azgraph", *args, "--project", str(REPO)],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, (args, result.stderr)
