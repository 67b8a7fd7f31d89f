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

`vet_query` is the one gate every query text passes before any engine (pyoxigraph, rdflib,
pySHACL) sees it: the size and nesting bounds first, then this scan, then a syntax check by
pyoxigraph, whose messages it shortens to one line. `vet_query_algebra` keeps the older check on
rdflib's parsed algebra; tests/query/test_sparqlvet.py shows that both agree on a corpus of tricky
queries. Shapes graphs pass through `shapegate.vet_shapes`, which sends every query they carry
here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from azgraph.errors import LimitError, PolicyError, QueryError, one_line
from azgraph.rdf.prefixes import PREFIXES

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
    decoded_words = words if decoded == text else keywords(decoded)
    if decoded != text:
        words = words + decoded_words
    form = next((FORMS[w] for w in decoded_words if w in FORMS), None)
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


@lru_cache(maxsize=256)
def bounds_problem(text: str) -> str | None:
    """Why ``text`` is too deep or too long to hand to a SPARQL engine, or None if it is not.

    Kept per text: a query is measured as written and again with its parameters bound, which
    for a query without parameters is the same text."""
    found = measure(text)
    if found.depth > MAX_NESTING:
        return f"brackets nest {found.depth} deep, more than the limit of {MAX_NESTING}"
    if found.patterns > MAX_PATTERNS:
        return f"about {found.patterns} triple patterns, more than the limit of {MAX_PATTERNS}"
    return None


# --- the gate ---------------------------------------------------------------------------------

MAX_QUERY_CHARS = 100_000
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_CUSTOM_FUNCTION = re.compile(r"The custom function (<[^>]*>|\S+) is not supported")


def check_bounds(text: str, where: Path | str = "<query>") -> None:
    """Refuse (LimitError, exit 6) a text too long, too deep or too long-winded to parse safely.

    Runs before any parser: pyoxigraph's and rdflib's parsers recurse per nesting level, and a
    deep enough text ends the process (SIGSEGV) instead of raising.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise LimitError(
            f"query refused: it is longer than the limit of {MAX_QUERY_CHARS} characters",
            path=where,
            hint="Shorten the query.",
        )
    problem = bounds_problem(text)
    if problem is not None:
        raise LimitError(
            f"query refused: {problem}",
            path=where,
            hint="Simplify the query (fewer nested groups or patterns).",
        )


def vet_query(
    text: str,
    where: Path | str = "<query>",
    *,
    syntax: bool = True,
    prefixes: dict[str, str] | None = None,
    local: bool = False,
) -> str:
    """The gate: bounds, then policy on the query's tokens, then syntax; return the query form.

    Refused: texts past the size and nesting bounds (exit 6), updates, SERVICE, FROM and FROM
    NAMED (they reach the network or files; exit 6), found as keywords by `scan` (escapes
    decoded; IRIs, strings, comments, prefixed names and variables skipped).

    ``syntax=False`` leaves the syntax check to the store that runs the query next (`queries`
    reports its errors the same way), which saves a cold `query run` a second parse. ``local``
    says the text will run on a local engine, so that extension functions, which pyoxigraph
    parses but cannot run, are refused here; a remote endpoint may know them. ``prefixes`` are
    the declarations the engine will be given besides the project's.
    """
    check_bounds(text, where)
    found = scan(text)
    if found.update:
        raise PolicyError(
            "SPARQL updates are refused: azgraph queries are read-only",
            path=where,
            hint="Edit curated/*.yaml and rebuild instead.",
        )
    if found.network:
        raise PolicyError(
            "SERVICE is refused: a query may not contact other endpoints",
            path=where,
            hint="Remove the SERVICE clause.",
        )
    if found.dataset:
        raise PolicyError(
            "FROM and FROM NAMED are refused: they load files or URLs",
            path=where,
            hint="Remove them; the query runs on the azgraph graph.",
        )
    if syntax or found.form is None:
        error = syntax_error(text, where, prefixes=prefixes, local=local)
        if error is not None:
            raise error
    if found.form is None:
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query", path=where)
    return found.form


def syntax_error(
    text: str,
    where: Path | str,
    *,
    prefixes: dict[str, str] | None = None,
    local: bool = True,
) -> QueryError | None:
    """pyoxigraph's verdict on a text that passed `check_bounds` and `scan`, as one line.

    Parsing runs the query on an empty store, which is instant. None when the text parses (and,
    if ``local``, uses no extension function). A text that parses once given a base IRI fails
    only for its relative IRIs, and is told so.
    """
    import pyoxigraph as ox

    declared = {**PREFIXES, **(prefixes or {})}
    try:
        ox.Store().query(text, prefixes=declared)
    except SyntaxError as exc:
        relative = relative_iri(text)
        if relative is None:
            return explain_syntax_error(str(exc), where)
        try:
            ox.Store().query(text, prefixes=declared, base_iri="http://azgraph.invalid/")
        except SyntaxError as again:
            return explain_syntax_error(str(again), where)
        except RuntimeError:
            pass  # parsed: the relative IRI was the only syntax error
        iri, line, column = relative
        return QueryError(
            f"relative IRI <{iri}> at line {line}, column {column} needs a BASE declaration "
            "or an absolute IRI",
            path=where,
            hint="Write the full IRI (with its scheme, e.g. https:), or declare BASE <...> first.",
        )
    except RuntimeError as exc:  # pyoxigraph parses extension calls, then cannot run them
        error = explain_runtime_error(str(exc), where)
        if local or error.message.startswith("the query cannot run"):
            return error
    return None


def explain_runtime_error(message: str, where: Path | str) -> QueryError:
    """pyoxigraph's RuntimeError for a query it parsed but cannot run, as one line."""
    match = _CUSTOM_FUNCTION.search(message)
    if match:
        return QueryError(
            f"extension function {match.group(1)} is not supported: the local engine runs "
            "only the functions of SPARQL 1.1",
            path=where,
            hint="Remove the call, or run the query on an --endpoint that knows the function.",
        )
    return QueryError(f"the query cannot run: {one_line(message)}", path=where)


def explain_syntax_error(message: str, where: Path | str) -> QueryError:
    """A one-line QueryError from pyoxigraph's SyntaxError message, keeping line and column."""
    match = re.search(r"(?:line )?(\d+)(?::| column )(\d+)", message)
    detail = shorten_expected(re.sub(r"^.*?\d+:\d+: ", "", one_line(message)))
    if match:
        return QueryError(
            f"SPARQL syntax error at line {match.group(1)}, column {match.group(2)}: {detail}",
            path=where,
            hint="Fix the query text at that position.",
        )
    return QueryError(f"SPARQL syntax error: {detail}", path=where)


def relative_iri(text: str) -> tuple[str, int, int] | None:
    """The first IRI of ``text`` without a scheme, with its line and column, when the text
    declares no BASE (the IRI then has nothing to resolve against); else None."""
    decoded = decode_escapes(text)
    if "BASE" in keywords(decoded):
        return None
    for source in (text, decoded):  # escapes may spell an IRI: <\u0078> is <x>
        for match in _TOKEN.finditer(source):
            token = match.group("skip")
            if token and token.startswith("<") and not _SCHEME.match(token[1:]):
                line = source.count("\n", 0, match.start()) + 1
                column = match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1
                return decode_escapes(token[1:-1]), line, column
    return None


_CHAR_CLASS = re.compile(r"\[(?:'(?:\\.|[^'\\])*'|[^\]'])*\]")


def shorten_expected(detail: str) -> str:
    """pyoxigraph's "expected one of ..." without grammar character-class dumps, capped.

    Its lists name every token the grammar could take next, including classes such as
    ``['A' ..= 'Z' | '\\u{00C0}'..='\\u{00D6}' | ...]`` spread over lines: those become a
    plain phrase, and a long list keeps its first names. A sentence in the list (pyoxigraph
    puts its checks there, e.g. "Duplicated variable name in SELECT") is the message itself.
    """

    def phrase(match: re.Match[str]) -> str:
        body = match.group(0)
        if body == "[_]":  # what the grammar says where the text ends or goes on wrongly
            return ""
        if "'A'" in body or "'a'" in body:
            return "a name"
        if "'0'" in body:
            return "a digit"
        return "an escaped character" if "'_'" in body or "'t'" in body else "a character"

    detail = _CHAR_CLASS.sub(phrase, detail).replace("IRI parsing failed", "a valid IRI")
    head, sep, rest = detail.partition("expected ")
    if not sep:
        return detail[:300]
    rest = rest.removeprefix("one of ")
    items = [i for i in dict.fromkeys(i.strip() for i in rest.split(", ")) if i]
    sentences = [i for i in items if " " in i and i[:1].isupper()]
    if sentences:
        return "; ".join(sentences)[:300]
    if not items or items == ["<unreported>"]:
        return "this text is not allowed here"
    shown = ", ".join(items[:12]) + (" and others" if len(items) > 12 else "")
    return f"{head}expected {'one of ' if len(items) > 1 else ''}{shown}"[:300]


def with_prologue(text: str) -> str:
    """Add project PREFIX lines for prefixes the query uses without declaring."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", text))
    missing = [p for p in PREFIXES if p not in declared]
    if not missing:
        return text
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in sorted(missing)) + text
