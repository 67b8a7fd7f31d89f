"""A release folder is the old release or the new one, never a mix (#16), even when
`azgraph release` is killed with SIGKILL at any moment; `--no-site` leaves no stale site.

The kills land at spread fractions of an uninterrupted run's duration, in a real subprocess,
on the repository's own data (so the run writes over a thousand files and a kill finds it mid-way).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.project import Project
from azgraph.publish import folderswap
from azgraph.publish.release import make_release
from tests.conftest import REPO, make_project

AZGRAPH = str(Path(sys.executable).parent / "azgraph")
OLD_LABEL = '"Second Nagorno-Karabakh War"@en'
NEW_LABEL = '"Second Nagorno-Karabakh War (44-day war)"@en'


class Releases(NamedTuple):
    """An old and a new release of one project, and how long the new one took to write."""

    project: Path
    old: dict[str, bytes]
    old_folder: Path
    new: dict[str, bytes]
    seconds: float


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def checksums_pass(folder: Path) -> bool:
    run = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder, check=False)
    return run.returncode == 0


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    """Two projects (the second with a changed label), the old release, and the new release
    written over a copy of it by an uninterrupted subprocess (timed)."""
    base = tmp_path_factory.mktemp("atomic")
    old_project = make_project(base / "p1", case=None)
    shutil.copytree(REPO / "data", old_project / "data")
    new_project = base / "p2"
    shutil.copytree(old_project, new_project)
    changed = new_project / "data" / "cemeri-2022.ttl"
    text = changed.read_text(encoding="utf-8")
    assert OLD_LABEL in text
    changed.write_text(text.replace(OLD_LABEL, NEW_LABEL), encoding="utf-8")
    old = base / "ref" / "old"
    make_release(Project.at(old_project), old)
    new = base / "ref2" / "new"
    shutil.copytree(old, new)
    started = time.monotonic()
    done = subprocess.run(
        [AZGRAPH, "release", "--project", str(new_project), str(new)],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Releases(new_project, snapshot(old), old, snapshot(new), time.monotonic() - started)


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.7, 0.85, 0.95])
def test_issue_16_a_release_killed_at_any_moment_is_the_old_or_the_new_one(
    releases: Releases, tmp_path: Path, fraction: float
) -> None:
    old, new = releases.old, releases.new
    assert old != new
    folder = tmp_path / "release"
    shutil.copytree(releases.old_folder, folder)
    process = subprocess.Popen(
        [AZGRAPH, "release", "--project", str(releases.project), str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(float(releases.seconds) * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    state = snapshot(folder)
    assert state in (old, new), (
        f"a mix: {sum(state.get(k) == v for k, v in new.items())} of {len(new)} files new"
    )
    assert checksums_pass(folder)
    # The next run clears what the killed one left and finishes the job.
    result = CliRunner().invoke(cli, ["release", "--project", str(releases.project), str(folder)])
    assert result.exit_code == 0, result.stderr
    assert snapshot(folder) == new
    assert siblings(folder) == []


def test_issue_16_the_fallback_switch_restores_a_release_moved_away_by_a_kill(
    releases: Releases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "release"
    # A kill between the fallback's two renames: the old release moved aside, the name empty.
    shutil.copytree(releases.old_folder, tmp_path / ".release.release-old")
    (tmp_path / ".release.release-new-0badc0de").mkdir()
    os.chmod(tmp_path / ".release.release-old", 0o750)
    monkeypatch.setattr(folderswap, "_exchange", lambda a, b: False)
    folderswap.recover(folder)
    assert snapshot(folder) == releases.old
    assert siblings(folder) == []
    make_release(Project.at(releases.project), folder)
    assert snapshot(folder) == releases.new
    assert siblings(folder) == [] and checksums_pass(folder)
    assert folder.stat().st_mode & 0o777 == 0o750  # the new release keeps the folder's mode


def test_issue_16_release_without_the_site_removes_a_stale_one_and_does_not_point_to_it(
    project: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--project", str(project)]).exit_code == 0
    folder = tmp_path / "out"
    first = runner.invoke(cli, ["release", "--project", str(project), str(folder)])
    assert first.exit_code == 0 and (folder / "site" / "index.html").exists()
    again = runner.invoke(cli, ["release", "--project", str(project), str(folder), "--no-site"])
    assert again.exit_code == 0, again.stderr
    assert not (folder / "site").exists()
    assert "site/index.html" not in again.stdout
    assert "removed site/: an earlier release's site, not rebuilt with --no-site" in again.stdout
    assert again.stdout.splitlines()[-1].endswith("dumps changed")
    assert checksums_pass(folder)
