"""Dates at their precision (rdf/dates.py): bounds of a year, month and day, and one format."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import XSD

from azgraph.rdf.dates import Period, format_date, parse_date, period_of


def test_a_year_is_the_whole_year() -> None:
    year = parse_date("2020")
    assert (year.precision, year.value) == ("year", "2020-01-01T00:00:00")
    assert (year.earliest, year.latest) == ("2020-01-01T00:00:00", "2020-12-31T23:59:59")


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2020-11", "month", "2020-11-01T00:00:00", "2020-11-30T23:59:59"),
        ("2020-02", "month", "2020-02-01T00:00:00", "2020-02-29T23:59:59"),  # a leap year
        ("2021-02", "month", "2021-02-01T00:00:00", "2021-02-28T23:59:59"),
        ("2020-12", "month", "2020-12-01T00:00:00", "2020-12-31T23:59:59"),
        ("2020-11-09", "day", "2020-11-09T00:00:00", "2020-11-09T23:59:59"),
    ],
)
def test_a_month_or_a_day_is_the_whole_month_or_day(
    text: str, precision: str, earliest: str, latest: str
) -> None:
    period = parse_date(text)
    assert (period.precision, period.earliest, period.latest) == (precision, earliest, latest)
    assert str(period) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [("May 2003", "is not a date"), ("2020-13", "not a real date"), ("2021-02-29", "not a real")],
)
def test_what_is_not_a_date_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_periods_contain_the_periods_within_them_and_no_others() -> None:
    year, month, day = parse_date("2020"), parse_date("2020-11"), parse_date("2020-11-09")
    assert year.contains(month) and year.contains(day) and month.contains(day)
    assert year.contains(year)
    assert not day.contains(month) and not month.contains(year)
    assert not parse_date("2019").contains(day) and not parse_date("2020-10").contains(day)


@pytest.mark.parametrize(
    ("precision", "printed"),
    [("year", "1918"), ("month", "1918-05"), ("day", "1918-05-28"), (None, "1918-05-28")],
)
def test_a_stored_value_prints_at_its_precision_from_either_library(
    precision: str | None, printed: str
) -> None:
    lexical = "1918-05-28T00:00:00"
    rdflib_value = Literal(lexical, datatype=XSD.dateTime)
    oxigraph_value = ox.Literal(lexical, datatype=ox.NamedNode(str(XSD.dateTime)))
    assert format_date(rdflib_value, precision) == printed
    assert format_date(oxigraph_value, precision) == printed
    assert format_date(lexical, precision) == printed


def test_a_value_that_is_not_a_date_prints_as_its_text() -> None:
    assert format_date(Literal("soon"), "year") == "soon"


@given(
    st.integers(1000, 2999),
    st.integers(0, 12),
    st.integers(1, 28),
)
def test_a_period_read_back_from_its_stored_value_is_itself(
    year: int, month: int, day: int
) -> None:
    period = Period(year, month, day if month else 0)
    assert period_of(period.value, period.precision) == period
    assert parse_date(str(period)) == period
    assert period.earliest <= period.value <= period.latest
