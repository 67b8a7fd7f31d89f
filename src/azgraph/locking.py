"""One writer at a time: an advisory lock around commands that replace files in a folder.

Two builds (or a build and a release) writing the same folder would each replace files
atomically, but could interleave into a mixed set; the lock makes the second wait, then fail
cleanly if the first does not finish in time.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from azgraph.errors import OutputError

LOCK_NAME = ".azgraph.lock"


@contextlib.contextmanager
def folder_lock(folder: Path, *, wait: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (created if needed) for the duration of the block."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(
            f"cannot lock the folder: {exc.strerror}",
            path=folder,
            hint="Check that it exists and is writable.",
        ) from exc
    with hold_lock(fd, folder, wait=wait):
        yield


@contextlib.contextmanager
def hold_lock(
    fd: int, where: Path, *, wait: float, writer: str = "azgraph process"
) -> Iterator[None]:
    """Take an exclusive lock on the open ``fd``, waiting up to ``wait`` seconds for another
    ``writer`` to let go; the block runs under it, and closing ``fd`` releases it."""
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"another {writer} has been writing here for over {wait:.0f} s",
                        path=where,
                        hint="Wait for it to finish, then run the command again.",
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock
