"""`azgraph docs`: pyLODE HTML for the ontology and its individuals, made without the network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.owl.ontodocs import write_docs

REPO = Path(__file__).resolve().parents[2]

NO_NETWORK = """
import sys
from pathlib import Path
events = []
def hook(event, args):
    # socket.__new__ alone is asyncio's local socketpair; a request must resolve or connect
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "socket.sendto", "urllib.Request", "http.client.connect"):
        events.append(event)
sys.addaudithook(hook)
from azgraph.owl.ontodocs import write_docs
write_docs(Path(sys.argv[1]), Path(sys.argv[2]))
print("EVENTS", sorted(set(events)))
"""


def test_docs_page_lists_classes_properties_and_individuals(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["docs", str(tmp_path / "docs"), "--project", str(REPO)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "docs" / "index.html").read_text(encoding="utf-8")
    assert 'id="Pipeline"' in page and "https://w3id.org/azgraph/ontology#Pipeline" in page
    assert 'id="lengthKm"' in page and "https://w3id.org/azgraph/ontology#lengthKm" in page
    assert 'id="individuals"' in page
    assert "https://w3id.org/azgraph/id/pipeline/baku-tbilisi-ceyhan-pipeline" in page


def test_docs_open_no_socket(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(REPO / "ontology" / "azgraph.ttl"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "EVENTS []" in done.stdout
    assert (tmp_path / "index.html").is_file()


def test_docs_show_each_term_in_three_languages_with_its_definition(tmp_path: Path) -> None:
    page = write_docs(REPO / "ontology" / "azgraph.ttl", tmp_path).read_text(encoding="utf-8")
    pipeline = page[page.index('id="Pipeline"') :][:2000]
    assert "<h3>pipeline\n" in pipeline  # pyLODE's heading holds the English label alone
    assert (
        '<span lang="en">pipeline</span> (English); <span lang="tr">boru hattı</span> (Turkish); '
        '<span lang="az">boru kəməri</span> (Azerbaijani)</td>'
    ) in pipeline
    assert "A pipeline, or a system of pipelines, that carries oil or gas." in pipeline
    agent = page[page.index('id="agent"') :][:2000]
    assert "(Turkish and Azerbaijani to be reviewed)" in agent
    assert page.count("<th>Labels</th>") >= 120


def test_issue_19_docs_are_byte_stable_across_hash_seeds(tmp_path: Path) -> None:
    """pyLODE lists union members in set order; the page must not change with the hash seed."""
    pages = []
    for seed in ("1", "2", "3"):
        out = tmp_path / seed
        subprocess.run(
            [sys.executable, "-c", NO_NETWORK, str(REPO / "ontology" / "azgraph.ttl"), str(out)],
            check=True,
            capture_output=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            timeout=120,
        )
        pages.append((out / "index.html").read_bytes())
    assert pages[0] == pages[1] == pages[2]
