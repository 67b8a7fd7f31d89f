"""File-system faults: a read-only folder (as a real non-root user), an exception in the middle of
serialisation, and Ctrl-C: the previous files stay byte-for-byte and no temporary file is left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from azgraph.build.compile import build_graphs
from azgraph.project import Project
from azgraph.rdf import turtle
from azgraph.rdf.namespaces import AZ, new_graph
from tests.conftest import make_project

NOBODY = 65534


def snapshot_dir(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def built_with_a_pending_change(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A built project whose curated file changed since: a build would rewrite data/."""
    root = make_project(tmp_path)
    build_graphs(Project.at(root))
    curated = root / "curated" / "cemeri-2022.yaml"
    text = curated.read_text(encoding="utf-8")
    curated.write_text(
        text.replace('v: "1768"', 'v: "1769", derived: {kind: computed, why: "a test"}'),
        encoding="utf-8",
    )
    data = root / "data"
    return root, data, snapshot_dir(data)


@pytest.fixture
def world_readable_project() -> Iterator[Path]:
    """A built project under a folder that an unprivileged user can read."""
    base = Path(tempfile.mkdtemp(prefix="azgraph-ro-"))
    base.chmod(0o755)
    root = make_project(base)
    build_graphs(Project.at(root))
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield root
    shutil.rmtree(base, ignore_errors=True)


def _can_drop_privileges() -> bool:
    return os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.mark.skipif(not _can_drop_privileges(), reason="needs root and setpriv(1) to act as nobody")
def test_a_read_only_data_folder_gives_exit_5_and_changes_nothing(
    world_readable_project: Path,
) -> None:
    root = world_readable_project
    curated = root / "curated" / "cemeri-2022.yaml"
    curated.write_text(
        curated.read_text(encoding="utf-8").replace(
            'v: "1768"', 'v: "1769", derived: {kind: computed, why: "a test"}'
        ),
        "utf-8",
    )
    data = root / "data"
    before = snapshot_dir(data)
    data.chmod(0o555)  # the owner is root: nobody cannot write here
    result = subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            sys.executable,
            "-m",
            "azgraph",
            "build",
            "--project",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "HOME": "/tmp"},
    )
    assert result.returncode == 5, result.stderr
    assert "cannot" in result.stderr and str(data) in result.stderr
    assert snapshot_dir(data) == before


def test_an_exception_during_serialisation_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.ttl"
    target.write_text("# the previous dump\n", encoding="utf-8")
    graph = new_graph()
    graph.add(
        (
            URIRef("https://w3id.org/azgraph/id/state/a"),
            AZ.allyOf,
            URIRef("https://w3id.org/azgraph/id/state/b"),
        )
    )

    def explode(_: bytes) -> None:
        raise MemoryError("simulated failure half-way")

    with pytest.raises(MemoryError):
        turtle.write_atomic(target, turtle.to_turtle(graph), verify=explode)
    assert target.read_text(encoding="utf-8") == "# the previous dump\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


QUOTA_RUNNER = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
from azgraph.cli.main import main
sys.argv = ["azgraph", "build", "--project", sys.argv[1]]
main()
"""


def test_a_quota_hit_mid_write_is_exit_5_and_changes_nothing(tmp_path: Path) -> None:
    root, data, before = built_with_a_pending_change(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", QUOTA_RUNNER, str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 5, result.stderr
    assert "cannot write: File too large" in result.stderr
    assert snapshot_dir(data) == before


def test_ctrl_c_during_a_build_leaves_data_intact(tmp_path: Path) -> None:
    root, data, before = built_with_a_pending_change(tmp_path)
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "azgraph", "build", "--project", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=120)
        after = snapshot_dir(data)
        names = set(after)
        assert not [n for n in names if n.endswith(".tmp")], names
        if after != before:  # the build finished before the signal: it wrote the new value
            assert b"1769" in after["cemeri-2022.ttl"]
            return
    assert snapshot_dir(data) == before
