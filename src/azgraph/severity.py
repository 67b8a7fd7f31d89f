"""The one severity vocabulary of every check azgraph runs: error, warning, info.

Why here, among the base modules: the words are read in query headers (query package), mapped
from SHACL shapes (check package) and taken as a CLI flag, and all of them must agree. Each word
stands for one SHACL severity (``sh:Violation``, ``sh:Warning``, ``sh:Info``), so a check query
and a shape that mean the same thing print the same word. The words are the ones `validate`, the
query headers and the JSON report have always used; only `lint` used to print ``WARN``, which is
still read (with a deprecation note) wherever a severity is written by hand.
"""

from __future__ import annotations

import warnings

SEVERITIES = ("error", "warning", "info")  # most severe first
SHACL_NAMES = {"error": "Violation", "warning": "Warning", "info": "Info"}  # sh: local names
SHACL = "http://www.w3.org/ns/shacl#"
# Spellings read but no longer written, and what each now is.
DEPRECATED = {"warn": "warning"}


class SeverityDeprecation(FutureWarning):
    """An old severity spelling was read; the CLI prints it as one ``azgraph: deprecated:`` line."""


def from_shacl(iri: object) -> str:
    """The word for a SHACL severity IRI: error, warning or info for SHACL's own, error when
    none is given (sh:Violation is SHACL's default). A custom severity (SHACL allows any IRI)
    keeps its local name in lower case, as the W3C suite expects, and ranks as an error."""
    if iri is None:
        return "error"
    text = str(iri)
    for word, name in SHACL_NAMES.items():
        if text == SHACL + name:
            return word
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()


def read(word: str, *, where: str = "") -> str | None:
    """The severity ``word`` names, case-insensitively, or None if it names none.

    An old spelling (``WARN``) is accepted with a `SeverityDeprecation` warning that says
    where it was read and what to write instead.
    """
    folded = word.strip().lower()
    if folded in SEVERITIES:
        return folded
    new = DEPRECATED.get(folded)
    if new is not None:
        place = f"{where}: " if where else ""
        warnings.warn(
            f"{place}severity '{word}' is deprecated; write '{new}'",
            SeverityDeprecation,
            stacklevel=2,
        )
    return new


def rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more severe. A custom SHACL severity
    ranks as an error: its author meant it to be seen, and SHACL counts every result."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def at_least(severity: str, threshold: str | None) -> bool:
    """Whether ``severity`` is as severe as ``threshold`` (None: nothing is)."""
    return threshold is not None and rank(severity) <= rank(threshold)
