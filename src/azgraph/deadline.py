"""Running blocking work under a wall-clock deadline.

Why a thread: pyoxigraph queries and blocking HTTP reads cannot be interrupted from Python, but
both release the GIL, so a daemon thread lets the caller stop waiting on time; the abandoned
work dies with the process (the CLI exits right after reporting the timeout).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineError(Exception):
    """The work was still running when the deadline passed."""


def run_with_deadline(work: Callable[[], T], timeout: float, *, name: str = "azgraph") -> T:
    """Return ``work()``, re-raise its exception, or raise `DeadlineError` after ``timeout``."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise DeadlineError
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
