"""Token-level policy check for SPARQL text, without rdflib: fast enough for every CLI call.

The SPARQL grammar (section 19.2 of SPARQL 1.1 Query) processes ``\\uXXXX`` and ``\\UXXXXXXXX``
escapes before parsing, so ``SERV\\u0049CE`` is the keyword SERVICE. We decode them, then cut
the text into the grammar's tokens: IRIs ``<...>``, strings in all four quote forms, comments,
prefixed names (``ex:service``, ``service:x``), variables (``?service``), blank-node labels and
language tags are skipped whole; every remaining bare word is a keyword or a function name.
A keyword that reaches the network, files or the store (SERVICE, FROM, LOAD, and the update
keywords) refuses the query, wherever it stands: a FROM in a sub-select or a SERVICE inside
FILTER EXISTS is as refused as one at the top. The text is checked both as written and decoded,
so a parser that disagreed with us about escapes could not hide a keyword either.

Syntax is left to pyoxigraph, which parses the query for real (see `queries.vet_query`).
`queries.vet_query_algebra` keeps the older check on rdflib's parsed algebra;
tests/test_sparqlvet.py shows that both agree on a corpus of tricky queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

NETWORK = frozenset({"SERVICE"})
DATASET = frozenset({"FROM"})
UPDATE = frozenset(
    {"LOAD", "INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)
FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "construct"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Letters (PN_CHARS_BASE) and name characters (PN_CHARS), approximated by Unicode \w: a scan
# that sees slightly more words than the grammar can only refuse more, never less.
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<skip>#[^\r\n]*"  # comment
            r'|"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\r\n]|\\.)*"'  # short strings
            r"|'(?:[^'\\\r\n]|\\.)*'"
            r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIREF
            r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"  # variables
            r"|_:[\w.\-\u00b7]*"  # blank node labels
            r"|@[A-Za-z]+(?:-[A-Za-z0-9]+)*"  # language tags
            r"|(?:[^\W\d_][\w.\-\u00b7]*)?:[\w:.%\\\-\u00b7]*)",  # prefixed names
            r"(?P<word>[^\W\d]\w*)",
            r"(?P<other>\s+|.)",
        ]
    ),
    re.DOTALL,
)


class Vetting(NamedTuple):
    """What the token scan found: the query form and the refused keywords, by kind."""

    form: str | None
    network: tuple[str, ...] = ()
    dataset: tuple[str, ...] = ()
    update: tuple[str, ...] = ()


def decode_escapes(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` by their characters, as the SPARQL grammar does."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(char, text)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of ``text``: comments, strings, IRIs, names (group ``skip``), bare words
    (``word``), and single other characters or runs of white space (``other``)."""
    return _TOKEN.finditer(text)


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` in upper case: keywords and built-in function names."""
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.group("word")]


def scan(text: str) -> Vetting:
    """Scan ``text`` as written and with escapes decoded; report its form and refused words."""
    words = keywords(text)
    decoded = decode_escapes(text)
    if decoded != text:
        words += keywords(decoded)
    form = next((FORMS[w] for w in keywords(decoded) if w in FORMS), None)
    found = sorted(set(words))
    return Vetting(
        form=form,
        network=tuple(w for w in found if w in NETWORK),
        dataset=tuple(w for w in found if w in DATASET),
        update=tuple(w for w in found if w in UPDATE),
    )


# Bounds that keep a query text from crashing the engine that parses it. pyoxigraph's parser
# and planner recurse once per nesting level and once per joined pattern, on the thread's own
# stack: 5,000 nested parentheses or about 3,000 triple patterns end the process with SIGSEGV,
# which no `except` can catch. Real queries stay far below both (the bundled ones nest at most
# 6 deep and hold at most 40 patterns), so the limits can be generous and still safe.
MAX_NESTING = 64
MAX_PATTERNS = 500
_OPEN = {"(": ")", "{": "}", "[": "]"}
_CLOSE = frozenset(_OPEN.values())


class Bounds(NamedTuple):
    """How deep the text nests its brackets, and how many pattern separators it has."""

    depth: int
    patterns: int


def measure(text: str) -> Bounds:
    """Bracket depth and the count of ``.``, ``;`` and ``,`` separators outside tokens.

    Computed on the decoded text, so escapes cannot hide a bracket; strings, IRIs and comments
    are skipped whole, like `scan` does. Separators over-count patterns (a decimal point inside
    a number is one), which can only make the bound stricter.
    """
    depth = deepest = separators = 0
    for match in _TOKEN.finditer(decode_escapes(text)):
        char = match.group("other")
        if not char:
            continue
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char in ".;,":
            separators += 1
    return Bounds(deepest, separators + 1)


def bounds_problem(text: str) -> str | None:
    """Why ``text`` is too deep or too long to hand to a SPARQL engine, or None if it is not."""
    found = measure(text)
    if found.depth > MAX_NESTING:
        return f"brackets nest {found.depth} deep, more than the limit of {MAX_NESTING}"
    if found.patterns > MAX_PATTERNS:
        return f"about {found.patterns} triple patterns, more than the limit of {MAX_PATTERNS}"
    return None
