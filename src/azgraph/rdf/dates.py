"""Dates at the precision a source gives them: parse, interval bounds, and the one way to print.

A source says "2020", "November 2020" or "9 November 2020". The graph keeps that as Wikidata
does: a time value (``2020-01-01T00:00:00``, the first instant of the period) plus a precision
(``year``, ``month``, ``day``), and adds the period's bounds (``az:earliest`` 2020-01-01T00:00:00,
``az:latest`` 2020-12-31T23:59:59) so that a plain query can sort and compare without reading
the precision (docs/model.md, "Time"). Everything here is pure and stdlib-only, so the build,
the query renderer and the site all share it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

PRECISIONS = ("year", "month", "day")
"""Coarsest first: the index of a precision is its rank."""

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LEXICAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year, month or day: what "2020", "2020-11" or "2020-11-09" denotes.

    Two periods are either nested or disjoint (calendar periods never straddle), so "contains"
    and "overlaps" say the same thing between them. A month or day of 0 means "not given", which
    also makes periods sort by their first instant, coarser first.
    """

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def value(self) -> str:
        """The ``xsd:dateTime`` lexical form of the time value (its first instant)."""
        return f"{self.year:04d}-{self.month or 1:02d}-{self.day or 1:02d}T00:00:00"

    @property
    def earliest(self) -> str:
        """The first instant of the period, as an ``xsd:dateTime`` lexical form."""
        return self.value

    @property
    def latest(self) -> str:
        """The last second of the period (inclusive), as an ``xsd:dateTime`` lexical form."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return f"{self.year:04d}-{month:02d}-{day:02d}T23:59:59"

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies within this period (a period contains itself)."""
        return (
            self.year == other.year
            and self.month in (0, other.month)
            and self.day in (0, other.day)
        )

    def __str__(self) -> str:
        return format_period(self)


def parse_date(text: str) -> Period:
    """The period a curated date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) names.

    Raises ``ValueError`` with a short reason for anything else, or for a day that does not exist
    (``2021-02-29``).
    """
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date")
    year = int(match[1])
    month = int(match[2] or 0)
    day = int(match[3] or 0)
    if match[2] and not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a real date")
    if match[3] and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"'{text}' is not a real date")
    return Period(year, month, day)


def period_of(value: object, precision: str | None) -> Period:
    """The period a stored time value denotes at ``precision`` (None: the day).

    ``value`` is an ``xsd:dateTime`` literal (rdflib or pyoxigraph) or its lexical form.
    """
    # rdflib literals are str (their lexical form); pyoxigraph ones keep it in ``.value``
    text = value if isinstance(value, str) else str(getattr(value, "value", value))
    match = _LEXICAL.match(text)
    if not match:
        raise ValueError(f"'{value}' is not an xsd:dateTime")
    rank = PRECISIONS.index(precision) if precision in PRECISIONS else 2
    year, month, day = (int(g) for g in match.groups())
    return Period(year, month if rank >= 1 else 0, day if rank >= 2 else 0)


def format_period(period: Period) -> str:
    """ISO 8601 at the period's precision: ``1918``, ``2020-11``, ``2020-11-09``."""
    text = f"{period.year:04d}"
    if period.month:
        text += f"-{period.month:02d}"
        if period.day:
            text += f"-{period.day:02d}"
    return text


def format_date(value: object, precision: str | None) -> str:
    """A stored time value printed at its precision: ``1918``, ``2020-11`` or ``2020-11-09``.

    The one date formatter of azgraph: the CLI, reports and the site all print dates with it,
    so "2020" never shows as ``2020-01-01T00:00:00``. ``value`` is an ``xsd:dateTime`` literal
    (rdflib or pyoxigraph) or its lexical form; ``precision`` is the fact's
    ``az:datePrecision`` (None is taken as a day). A value that is not a date is returned as
    its text.
    """
    try:
        return format_period(period_of(value, precision))
    except ValueError:
        return str(value) if isinstance(value, str) else str(getattr(value, "value", value))
