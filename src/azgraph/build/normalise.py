"""How a value is looked for in its quote: the normalisation rules of the value check.

The rules (docs/curation.md, "Values and their quotes") are deliberately few, so that a value
found under them is one a reader would find too:

- **Text** (names as written, labels, occupations, units): both sides in Unicode NFC, case-folded
  (the dot of a capital "İ" dropped, so "ALİYEV" is "Aliyev"), whitespace runs collapsed,
  typographic quotes and apostrophes (‘ ’ ‚ ‛ “ ” „ « » ′ ″) read as ``'`` and ``"``, dashes and
  hyphens (‐ ‑ ‒ – — −) as ``-``, and ``%`` as ``percent``. The value must then sit in the quote
  starting at a word boundary (so "Armenia" is found in "Armenian").
- **Numbers**: every numeral of the quote is read, with thousands separators (``1,768``,
  ``1.768``, ``1 768``), decimals (``1.2``, ``1,2``), a scale word after it (``1 million``,
  ``3.5 billion``, ``400 thousand``), English number words (``one million``, ``forty-four``) and
  ordinals (``first``, ``second``). The value is found when one reading equals it (``1768.0`` and
  ``1,768`` are equal).
- **Dates** (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``): the year must be in the quote as a numeral;
  a month by its English, Turkish, Azerbaijani or Spanish name or abbreviation (``Sept``,
  ``Eylül``) or in a numeric date (``12.09.2022``, ``2022-09-12``); a day as a numeral next to
  its month (``12 Sept 2022``, ``November 9``, ``24th of August``, ``12 de septiembre``).

Number words are read with a table of English words here rather than a library: the sources are
English, and this module runs on every build.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "\u00ad": "",
    }
)
_WS = re.compile(r"\s+")
_PERCENT = re.compile(r"\s*%|\bper cent\b")


@lru_cache(maxsize=1 << 14)
def fold(text: str) -> str:
    """Text in the form both sides are compared in (see the module's rules)."""
    if not text.isascii():  # str.translate is slow, and most values are ASCII
        text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = text.casefold()
    if "\u0307" in text:  # "İ" folds to "i" + a combining dot; Turkish "ALİYEV" is "Aliyev"
        text = text.replace("\u0307", "")
    if "%" in text or "per cent" in text:
        text = _PERCENT.sub(" percent", text)
    return _WS.sub(" ", text).strip()


def find_text(value: str, quote: str) -> int:
    """Where the folded ``value`` starts in the folded ``quote`` at a word boundary, or -1."""
    needle, hay = fold(value), fold(quote)
    if not needle:
        return -1
    start = hay.find(needle)
    while start >= 0:
        if start == 0 or not (hay[start - 1].isalnum() and needle[0].isalnum()):
            return start
        start = hay.find(needle, start + 1)
    return -1


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_SMALL = {word: n for n, word in enumerate(_UNITS)} | {
    word: 20 + 10 * n for n, word in enumerate(_TENS)
}
_SCALES = {
    "hundred": 10**2,
    "thousand": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}
_NUMERAL = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?P<sep>[,. \u00a0\u202f])\d{3})(?:(?P=sep)\d{3})*"
    r"(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\w|[.,]\d)"
    r"(?:\s*(?P<scale>hundred|thousand|million|mn|billion|bn|trillion)\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)


def _readings(num: str, sep: str | None) -> set[Decimal]:
    """The values a numeral can stand for: ``1,768`` is 1768, or 1.768 where ``,`` is a decimal
    comma; ``1 768`` only 1768."""
    out = {Decimal(num.replace(sep or ",", "").replace(",", ".") if sep else num.replace(",", "."))}
    if sep in (".", ",") and num.count(sep) == 1 and len(re.findall(r"[.,]", num)) == 1:
        out.add(Decimal(num.replace(",", ".")))
    return out


def numbers_in(quote: str) -> list[tuple[Decimal, int, int]]:
    """Every number the quote states, with the span of text it was read from."""
    found: list[tuple[Decimal, int, int]] = []
    text = unicodedata.normalize("NFC", quote)
    for m in _NUMERAL.finditer(text):
        scale = _SCALES[m["scale"].lower()] if m["scale"] else 1
        for reading in _readings(m["num"], m["sep"]):
            found.append((reading * scale, m.start(), m.end()))
            if scale != 1:
                found.append((reading, m.start(), m.start("scale")))
    found.extend(_worded(text))
    return found


def _worded(text: str) -> list[tuple[Decimal, int, int]]:
    """Numbers written in English words ("one million", "forty-four", "second")."""
    found: list[tuple[Decimal, int, int]] = []
    total, current, start, end = 0, 0, -1, -1
    for m in _WORD.finditer(text):
        word = m.group().lower()
        gap = text[end : m.start()] if start >= 0 else ""
        if start >= 0 and gap.strip(" -") and gap.strip(" -").lower() != "and":
            found.append((Decimal(total + current), start, end))
            total, current, start = 0, 0, -1
        if word in _ORDINALS:
            value = total + current + _ORDINALS.index(word) + 1
            found.append((Decimal(value), start if start >= 0 else m.start(), m.end()))
            total, current, start = 0, 0, -1
            continue
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _SCALES and start >= 0:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] > 100:
                total, current = total + current, 0
        elif word == "and" and start >= 0:
            continue
        else:
            if start >= 0:
                found.append((Decimal(total + current), start, end))
            total, current, start = 0, 0, -1
            continue
        start, end = (m.start() if start < 0 else start), m.end()
    if start >= 0:
        found.append((Decimal(total + current), start, end))
    return found


def as_number(value: str) -> Decimal | None:
    """The value as a number, or None when it is not one."""
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def find_number(value: str, quote: str) -> int:
    """Where the quote states the number ``value``, or -1."""
    wanted = as_number(value)
    if wanted is None:
        return -1
    for number, start, _ in numbers_in(quote):
        if number == wanted:
            return start
    return -1


_MONTHS = [
    "january jan ocak yanvar enero ene",
    "february feb şubat fevral febrero",
    "march mar mart marzo",
    "april apr nisan aprel abril abr",
    "may mayıs may mayo",
    "june jun haziran iyun junio",
    "july jul temmuz iyul julio",
    "august aug ağustos avqust agosto ago",
    "september sept sep eylül sentyabr septiembre setiembre",
    "october oct ekim oktyabr octubre",
    "november nov kasım noyabr noviembre",
    "december dec aralık dekabr diciembre dic",
]
_MONTH_OF = {name: n for n, names in enumerate(_MONTHS, 1) for name in names.split()}
_MONTH_NAMES = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_YEAR = re.compile(r"(?<![\w.,])(\d{4})(?!\w|[.,]\d)")
_MONTH_WORD = re.compile(rf"\b({_MONTH_NAMES})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?: of| de)? ({_MONTH_NAMES})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_NAMES})\b\.? (\d{{1,2}})(?:st|nd|rd|th)?\b")
# numeric dates, each with the order of its (year, month, day) groups
_NUMERIC_DAYS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), (1, 2, 3)),
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b"), (3, 2, 1)),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), (3, 1, 2)),
)
_NUMERIC_MONTHS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})\b"), (1, 2)),
    (re.compile(r"\b(\d{1,2})[./](\d{4})\b"), (2, 1)),
)


def find_date(value: str, quote: str) -> int:
    """Where the quote states the date ``value`` (YYYY, YYYY-MM or YYYY-MM-DD), or -1."""
    want = tuple(int(p) for p in value.split("-"))
    text = fold(quote)
    numeric = _NUMERIC_DAYS if len(want) == 3 else _NUMERIC_MONTHS if len(want) == 2 else ()
    for pattern, order in numeric:
        for m in pattern.finditer(text):
            if tuple(int(m[i]) for i in order) == want:
                return m.start()
    years = [m.start() for m in _YEAR.finditer(text) if int(m[1]) == want[0]]
    if not years or len(want) == 1:
        return years[0] if years else -1
    if len(want) == 2:
        hits = (m for m in _MONTH_WORD.finditer(text) if _MONTH_OF[m[1]] == want[1])
        return next((m.start() for m in hits), -1)
    for m in _DAY_MONTH.finditer(text):
        if (_MONTH_OF[m[2]], int(m[1])) == want[1:]:
            return m.start()
    for m in _MONTH_DAY.finditer(text):
        if (_MONTH_OF[m[1]], int(m[2])) == want[1:]:
            return m.start()
    return -1


def shorten(quote: str, at: int, width: int = 30) -> str:
    """The quote cut to about ``width`` characters either side of ``at``, at word boundaries,
    with an ellipsis where it was cut."""
    text = _WS.sub(" ", quote).strip()
    at = max(0, min(at, len(text)))
    start = text.rfind(" ", 0, max(0, at - width)) + 1 if at > width else 0
    end = text.find(" ", at + width)
    end = len(text) if end < 0 else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")
