"""Values as people read them: ``1,768 km``, ``1 million barrels per day``, ``24 August 2001``.

The site shows numbers with their unit and dates at the precision the source gives; the data keeps
the plain typed literals (``1768.0``, ``2003-01-01T00:00:00`` with precision ``year``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from azgraph.rdf.dates import format_date as iso_date
from azgraph.rdf.namespaces import AZ

# The unit each numeric property carries in its name (az:quantity takes the statistic's az:unit).
UNITS = {
    AZ.lengthKm: "km",
    AZ.capacityBarrelsPerDay: "barrels per day",
    AZ.durationDays: "days",
}
ORDINALS = {AZ.rank, AZ.recognitionOrder}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_BIG = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.int, XSD.long}


def format_date(value: Literal, precision: str | None, *, human: bool = False) -> str:
    """A date at its precision as `azgraph.rdf.dates.format_date` prints it everywhere
    (``2003``, ``2020-03``, ``2001-08-24``) or, ``human``, in words for the summary boxes
    (``2003``, ``March 2020``, ``24 August 2001``)."""
    text = iso_date(value, precision)
    parts = text.split("-")
    if not human or not all(part.isdigit() for part in parts) or len(parts) == 1:
        return text
    month = _MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def format_number(value: Literal, prop: URIRef | None = None, unit: str | None = None) -> str:
    """``1768.0`` → ``1,768``, ``1000000`` → ``1 million``, a rank → ``1st``; with its unit."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if prop in ORDINALS and number == number.to_integral_value():
        return ordinal(int(number))
    text = _plain(number)
    unit = unit or (UNITS.get(prop) if prop is not None else None)
    if unit == "percent":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def _plain(number: Decimal) -> str:
    for size, word in _BIG:
        if abs(number) >= size and (number / size * 10) == (number / size * 10).to_integral_value():
            return f"{_trim(number / size)} {word}"
    return f"{number:,f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:,f}"


def _trim(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_literal(
    value: Literal, prop: URIRef | None, precision: str | None, unit: str | None = None
) -> str:
    """Any literal as a person reads it (strings are returned as they are)."""
    if value.datatype == XSD.dateTime:
        return format_date(value, precision, human=True)
    if value.datatype in NUMERIC:
        return format_number(value, prop, unit)
    if value.datatype == XSD.boolean:
        return "yes" if value.toPython() else "no"
    return str(value)


def year_span(start: str | None, end: str | None) -> str:
    """``1993–2003``, ``since 2003``, ``until 2003`` from two already formatted dates."""
    if start and end:
        return start if start == end else f"{start}–{end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else ""
