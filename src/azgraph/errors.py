"""The error tree: every failure a user can cause maps to one exit code and one hint.

The CLI catches `AzgraphError` in one place and prints ``str(error)``; library callers get the
same structured fields (path, line, hint) without parsing a message.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Exit codes, documented in ``azgraph --help`` and the README."""

    OK = 0
    DATA_PROBLEM = 1  # the graph does not conform, or a check query returned rows
    USAGE = 2  # click's own code for bad options
    INPUT = 3  # a file or query cannot be read, parsed or compiled
    REMOTE = 4  # a remote endpoint failed or answered badly
    FILESYSTEM = 5  # an output could not be written
    POLICY = 6  # refused by policy (network access, updates)


class AzgraphError(Exception):
    """Base class: a message that says what is wrong, where, and how to fix it."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return text


class InputError(AzgraphError):
    """A file (YAML, Turtle, SPARQL, seed) cannot be read, parsed or compiled."""


class CurationError(InputError):
    """Curated facts refer to unknown terms, misplace a quote, or break a rule."""


class QueryError(InputError):
    """A SPARQL query is malformed, unknown, or given bad parameters."""


class PolicyError(AzgraphError):
    """A query or shape asks for something azgraph refuses (network, updates)."""

    exit_code = ExitCode.POLICY


class LimitError(PolicyError):
    """Work stopped at a configured bound (query --timeout, size caps)."""


class RemoteError(AzgraphError):
    """A remote SPARQL endpoint failed, timed out or answered with something unreadable."""

    exit_code = ExitCode.REMOTE


class OutputError(AzgraphError):
    """An output file could not be written; the previous file is left as it was."""

    exit_code = ExitCode.FILESYSTEM


class StaleError(AzgraphError):
    """Committed generated files differ from what a build would write."""

    exit_code = ExitCode.DATA_PROBLEM


def one_line(text: str, width: int | None = None) -> str:
    """``text`` with every run of white space (line breaks included) as one space, cut at
    ``width`` characters with an ellipsis: what a library or a server said, fit for an error
    line."""
    flat = " ".join(text.split())
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"
