"""Parallel builds (parallel.py, ``azgraph build --jobs``): the same bytes and the same first
error whatever the number of processes, and the work really leaves this process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.build.compile import build_graphs
from azgraph.cli.main import cli
from azgraph.errors import CurationError, InputError
from azgraph.parallel import can_fork, default_jobs, ordered_map
from azgraph.project import Project
from tests.conftest import REPO, make_project

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402

needs_fork = pytest.mark.skipif(not can_fork(), reason="parallel work needs fork (Linux)")


def _data(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data").glob("*.ttl"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three copies of the real seeds: six seeds, enough for every worker to get several."""
    return generate(REPO, tmp_path_factory.mktemp("corpus") / "x3", 3)


def _copy(corpus: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(corpus, target)
    return target


@needs_fork
def test_any_number_of_jobs_writes_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    outputs = {}
    for jobs in (1, 2, 3):
        root = _copy(corpus, tmp_path / f"j{jobs}")
        result = build_graphs(Project.at(root), use_cache=False, jobs=jobs)
        assert len(result.compiled) == 6
        outputs[jobs] = _data(root)
    assert len(outputs[1]) == 6
    assert outputs[1] == outputs[2] == outputs[3]


@needs_fork
def test_the_error_reported_is_the_first_in_file_order_and_nothing_is_written(
    corpus: Path, tmp_path: Path
) -> None:
    messages = {}
    for jobs in (1, 2):
        root = _copy(corpus, tmp_path / f"j{jobs}")
        curated = sorted((root / "curated").glob("*.yaml"))
        for path in (curated[1], curated[4]):  # two broken files: the earlier is reported
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("p: ", "p: noSuchProperty", 1), encoding="utf-8")
        with pytest.raises(CurationError) as caught:
            build_graphs(Project.at(root), use_cache=False, jobs=jobs)
        assert caught.value.path == curated[1]
        assert not (root / "data").exists() or _data(root) == {}
        messages[jobs] = str(caught.value).replace(str(root), "ROOT")
    assert messages[1] == messages[2]
    assert "unknown property 'noSuchProperty" in messages[1]


@needs_fork
def test_items_run_in_other_processes_and_come_back_in_order() -> None:
    pids = ordered_map(lambda i: (i, os.getpid()), list(range(8)), jobs=2)
    assert [i for i, _ in pids] == list(range(8))
    assert os.getpid() not in {pid for _, pid in pids}
    ticks: list[int] = []
    ordered_map(str, ["a", "b", "c"], jobs=2, progress=ticks.append)
    assert ticks == [1, 1, 1]


@needs_fork
def test_a_worker_error_keeps_its_file_line_and_hint() -> None:
    def fail_on_odd(i: int) -> int:
        if i % 2:
            raise InputError(f"bad item {i}", path=Path(f"f{i}.yaml"), line=i, hint="Fix it.")
        return i

    with pytest.raises(InputError) as caught:
        ordered_map(fail_on_odd, list(range(6)), jobs=3)
    assert (caught.value.message, caught.value.path, caught.value.line) == (
        "bad item 1",
        Path("f1.yaml"),
        1,
    )
    assert str(caught.value) == "f1.yaml:1: bad item 1. Fix it."


def test_one_job_runs_in_this_process() -> None:
    assert ordered_map(lambda _: os.getpid(), [1, 2, 3], jobs=1) == [os.getpid()] * 3


def test_jobs_setting_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--jobs", "0", "--project", str(root)])
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.output
    monkeypatch.setenv("AZGRAPH_JOBS", "many")
    with pytest.raises(InputError, match="AZGRAPH_JOBS must be a whole number"):
        default_jobs()
    result = runner.invoke(cli, ["build", "--project", str(root)])
    assert result.exit_code == 3
    assert "AZGRAPH_JOBS must be a whole number of at least 1, not 'many'" in result.output
    assert not (root / "data").exists()
    monkeypatch.setenv("AZGRAPH_JOBS", "1")
    assert default_jobs() == 1
    result = runner.invoke(cli, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has already died


SLOW_WORK = """
import time
from azgraph.parallel import ordered_map

def slow(item):
    time.sleep(120)  # a long item: the worker is busy, not waiting on the task queue
    return item

ordered_map(slow, [1, 2, 3, 4], jobs=2)
"""


@needs_fork
def test_issue_16_busy_workers_die_when_their_parent_is_killed(tmp_path: Path) -> None:
    """A SIGKILLed parent runs no clean-up; its workers must not go on with their items."""
    import signal
    import subprocess
    import time

    parent = subprocess.Popen([sys.executable, "-c", SLOW_WORK], cwd=tmp_path)
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while len(workers) < 2 and parent.poll() is None and time.monotonic() < deadline:
        workers |= _children(parent.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the workers were never seen"
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = sorted(pid for pid in workers if _alive(pid))
    for pid in left:  # do not leave them running after a failure
        os.kill(pid, signal.SIGKILL)
    assert left == [], "workers outlived their killed parent"
