"""A progress line for long stages: shown on a terminal only, and only past one second.

Library functions take an optional ``progress`` callback (called with the number of items done);
the CLI passes `Progress.advance`. Piped or captured output stays clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

Tick = Callable[[int], None]


class Progress:
    """``label: done/total, elapsed`` on one rewritten line of ``stream`` (stderr by default)."""

    def __init__(
        self,
        label: str,
        total: int,
        *,
        stream: TextIO | None = None,
        delay: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label, self.total, self.delay, self.clock = label, total, delay, clock
        self.stream = stream if stream is not None else sys.stderr
        self.start = clock()
        self.done = 0
        self.drawn = False
        self.enabled = self.stream.isatty()

    def advance(self, step: int = 1) -> None:
        self.done += step
        elapsed = self.clock() - self.start
        if self.enabled and elapsed >= self.delay:
            self.stream.write(f"\r{self.label}: {self.done}/{self.total}, {elapsed:.1f} s")
            self.stream.flush()
            self.drawn = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
