"""Running blocking work under a wall-clock deadline.

Why a thread: pyoxigraph queries and blocking HTTP reads cannot be interrupted from Python, but
both release the GIL, so a second thread lets the caller stop waiting on time; the abandoned
work dies with the process (the CLI exits right after reporting the timeout). Built on `_thread`
rather than `threading`, which a cold `query run` would pay about 4 ms to import (fastlane.py);
like a daemon thread, a `_thread` thread does not hold the process open at exit.
"""

from __future__ import annotations

import _thread

TYPE_CHECKING = False  # typing costs a cold `query run` about 8 ms
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


class DeadlineError(Exception):
    """The work was still running when the deadline passed."""


def run_with_deadline(work: Callable[[], T], timeout: float) -> T:
    """Return ``work()``, re-raise its exception, or raise `DeadlineError` after ``timeout``."""
    box: list[tuple[bool, object]] = []
    done = _thread.allocate_lock()
    done.acquire()

    def target() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:  # handed to the caller's thread below
            box.append((False, exc))
        finally:
            done.release()

    _thread.start_new_thread(target, ())
    if not done.acquire(timeout=min(timeout, _thread.TIMEOUT_MAX)):
        raise DeadlineError
    ok, value = box[0]
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
