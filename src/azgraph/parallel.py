"""Per-item work spread over forked processes, with results and errors in input order.

Why processes and not threads: compiling a seed is pure-Python work that holds the GIL. Why fork:
the workers inherit the parsed ontology, seeds and entities without pickling them; only each
item's result travels back. Where fork is unavailable (Windows) or not safe (macOS), or there is
only one job, items run one after another in this process, with the same results.

Workers die with the parent: killed with SIGKILL, a parent runs no clean-up, and its forked
workers would wait for work for ever. Each worker asks Linux to kill it when its parent dies
(``PR_SET_PDEATHSIG``), then checks that its parent is still the process that forked it, in
case the parent died before the request was made.

Errors keep the sequential contract: the error reported is the one the first failing item (in
input order) raised, so a build with ``--jobs 4`` names the same file and line as ``--jobs 1``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from azgraph.errors import AzgraphError, InputError
from azgraph.progress import Tick

T = TypeVar("T")
R = TypeVar("R")

# Set just before the pool forks, so that workers find the function and its items by index.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """``$AZGRAPH_JOBS`` if set (validated), else the number of available CPUs."""
    raw = os.environ.get("AZGRAPH_JOBS", "").strip()
    if not raw:
        return available_cpus()
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(
            f"AZGRAPH_JOBS must be a whole number of at least 1, not '{raw}'",
            hint="Unset it to use every CPU, or set AZGRAPH_JOBS=1 to work in one process.",
        )
    return int(raw)


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def ordered_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    progress: Tick | None = None,
) -> list[R]:
    """``[fn(item) for item in items]``, in up to ``jobs`` processes.

    ``progress`` is called once per finished item, in input order.
    """
    global _WORK
    workers = min(jobs, len(items))
    if workers <= 1 or not can_fork():
        results = []
        for item in items:
            results.append(fn(item))
            if progress:
                progress(1)
        return results
    _WORK = (fn, items)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_die_with, initargs=(os.getpid(),)) as pool:
            results = []
            failure: AzgraphError | None = None
            for ok, value in pool.imap(_run_one, range(len(items)), chunksize=1):
                if not ok:
                    failure = value
                    break
                results.append(value)
                if progress:
                    progress(1)
            # Let the workers finish and exit before the pool is left: leaving it terminates
            # them, and a worker killed while it holds the task queue's lock can hang the
            # parent for ever (seen under load, after an error mid-build)
            pool.close()
            pool.join()
        if failure is not None:
            raise failure
        return results
    finally:
        _WORK = None


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """In a new worker: be killed when ``parent`` dies, and exit now if it already has."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # without prctl, the check below still covers a parent gone before the start
    if os.getppid() != parent:
        os._exit(1)


def _run_one(index: int) -> tuple[bool, Any]:
    """Run one item in a worker; an `AzgraphError` comes back as a value (it pickles whole)."""
    assert _WORK is not None
    fn, items = _WORK
    try:
        return True, fn(items[index])
    except AzgraphError as exc:
        return False, exc
