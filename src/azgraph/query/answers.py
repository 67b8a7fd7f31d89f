"""Remote SPARQL answers: complete, or a `RemoteError` that says why they cannot be trusted.

A server under load may answer 200 or 206 with part of the result: Virtuoso's "anytime" answers
carry ``X-SQL-State`` (``S1TAT`` at its time limit) and stop early, and its row cap sends
``X-SPARQL-MaxRows``. A proxy may cut a body short, and a misconfigured server may answer a
different query. Taking any of these as the result would print wrong rows and exit 0, so each
one is an error (exit 4) here, checked before a row is used. The endpoint client (`endpoint`),
publishing and ``wikidata check`` share these checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from azgraph.errors import RemoteError, one_line
from azgraph.query.queries import QueryResult

PARTIAL_HINT = "It stopped at its time or size limit; narrow the query or add a LIMIT, then retry."
_SQL_STATE = {"x-sql-state": "X-SQL-State", "x-sqlstate": "X-SQLState"}
_SELECT_ALL = re.compile(r"(?i)\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*")


def check_complete(status: int, headers: Mapping[str, str], url: str) -> None:
    """Refuse an answer whose status or headers say it is partial.

    ``headers`` has lower-case names. Any SQL state counts: a server only sends one when the
    query did not simply succeed.
    """
    name = next((name for name in _SQL_STATE if name in headers), None)
    if name is not None:
        message = one_line(headers.get("x-sql-message", ""), 120).rstrip(".")
        detail = f"; {message}" if message else ""
        raise RemoteError(
            f"the endpoint sent a partial answer (HTTP {status}, {_SQL_STATE[name]}: "
            f"{one_line(headers[name], 20)}{detail})",
            path=url,
            hint=PARTIAL_HINT,
        )
    if status == 206:
        raise RemoteError(
            "the endpoint sent a partial answer (HTTP 206 Partial Content)",
            path=url,
            hint=PARTIAL_HINT,
        )
    if "x-sparql-maxrows" in headers:
        raise RemoteError(
            "the endpoint cut the answer at its row limit "
            f"(X-SPARQL-MaxRows: {one_line(headers['x-sparql-maxrows'], 20)})",
            path=url,
            hint="Page through the results with ORDER BY, LIMIT and OFFSET.",
        )


def expected_variables(text: str) -> tuple[str, ...] | None:
    """The variables a SELECT query projects, or None when the server may choose (``SELECT *``).

    Evaluating the vetted query on an empty in-memory store gives its projection without a
    second parser, and is instant.
    """
    import pyoxigraph as ox

    from azgraph.rdf.prefixes import PREFIXES

    if _SELECT_ALL.search(text):
        return None
    try:
        result = ox.Store().query(text, prefixes=PREFIXES)
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None
    if not isinstance(result, ox.QuerySolutions):
        return None
    return tuple(v.value for v in result.variables)


def load_json(body: bytes, url: str) -> Any:
    """The parsed JSON document; a truncated or invalid body is a RemoteError."""
    try:
        text = body.decode("utf-8")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise RemoteError(
            f"the answer is not UTF-8 (byte {exc.start})", path=url, hint="Check the server."
        ) from exc
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise RemoteError(
                f"the JSON results end early, after {len(body)} bytes (truncated)",
                path=url,
                hint="The server cut its answer off; check its logs and try again.",
            ) from exc
        raise RemoteError(
            f"the answer is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            path=url,
            hint="The server did not send SPARQL JSON results; check the URL.",
        ) from exc


def json_rows(
    doc: Any, url: str, expected: tuple[str, ...] | None = None
) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The head's variables and the bindings of a SELECT answer, checked against each other.

    Refused: no head or no bindings, a head without a variable the query selects (``expected``),
    and a row that binds a variable the head does not list.
    """
    if not isinstance(doc, dict) or ("head" not in doc and "results" not in doc):
        raise RemoteError(
            "the JSON is not SPARQL query results (no 'head' and no 'results')",
            path=url,
            hint="Check that the URL is a SPARQL query endpoint.",
        )
    head = doc.get("head")
    names = head.get("vars") if isinstance(head, dict) else None
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        raise RemoteError(
            "the SPARQL results have no 'head' listing their variables",
            path=url,
            hint="The answer is incomplete or malformed; check the server and try again.",
        )
    results = doc.get("results")
    rows = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RemoteError(
            "the SPARQL results have no 'results' bindings",
            path=url,
            hint="The answer is incomplete or malformed; check the server and try again.",
        )
    variables = tuple(names)
    for name in expected or ():
        if name not in variables:
            listed = " ".join(f"?{v}" for v in variables) or "none"
            raise RemoteError(
                f"the answer lacks ?{name}, which the query selects (its head lists {listed})",
                path=url,
                hint="The server answered a different query or dropped a column; check it.",
            )
    known = set(variables)
    for number, row in enumerate(rows, 1):
        extra = sorted(set(row) - known)
        if extra:
            raise RemoteError(
                f"result row {number} binds ?{extra[0]}, which the head does not list",
                path=url,
                hint="The answer is malformed; check the server.",
            )
    return variables, rows


def json_result(
    body: bytes, url: str, form: str, limit: int | None, expected: tuple[str, ...] | None = None
) -> QueryResult:
    """A SELECT or ASK answer in SPARQL JSON as the `QueryResult` `run_local` would give."""
    doc = load_json(body, url)
    if form == "ask":
        value = doc.get("boolean") if isinstance(doc, dict) else None
        if not isinstance(value, bool):
            raise RemoteError(
                "the JSON is not an ASK answer (no true or false 'boolean')",
                path=url,
                hint="Check that the URL is a SPARQL query endpoint.",
            )
        return QueryResult("ask", boolean=value)
    variables, bindings = json_rows(doc, url, expected)
    rows = []
    for number, binding in enumerate(bindings, 1):
        if limit is not None and number > limit:
            break
        try:
            rows.append(tuple(_term(binding.get(v)) for v in variables))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RemoteError(
                f"result row {number} holds a malformed value ({exc})",
                path=url,
                hint="The answer is malformed; check the server.",
            ) from exc
    return QueryResult("select", variables, tuple(rows))


def _term(cell: dict[str, Any] | None) -> Node | None:
    """A SPARQL JSON results cell as the rdflib term `run_local` would give."""
    if cell is None:
        return None
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        return Literal(value, datatype=URIRef(cell.get("datatype", str(XSD.string))))
    raise ValueError(f"term type '{kind}'")


_ENDINGS = {"nt": b".", "turtle": b".", "xml": b">"}


def construct_result(body: bytes, content_type: str, url: str) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer as sorted triples; a cut-off or unreadable one is refused.

    A complete Turtle or N-Triples document ends with a full stop and RDF/XML with a closing
    tag, so a body cut mid-statement is found even when no Content-Length announced its size.
    """
    from rdflib import Graph

    mime = content_type.split(";")[0].strip().lower()
    fmt = {"application/n-triples": "nt", "application/rdf+xml": "xml"}.get(mime, "turtle")
    tail = body.rstrip()
    if tail and not tail.endswith(_ENDINGS[fmt]) and not _complete_line(tail, fmt):
        raise RemoteError(
            f"the CONSTRUCT answer ({mime or 'no type'}) ends mid-statement after "
            f"{len(body)} bytes (truncated)",
            path=url,
            hint="The server cut its answer off; check its logs and try again.",
        )
    try:
        graph = Graph().parse(data=body.decode("utf-8"), format=fmt)
    except Exception as exc:
        first = one_line(str(exc).strip().splitlines()[0] if str(exc).strip() else "", 160)
        raise RemoteError(
            f"the CONSTRUCT answer ({mime or 'no type'}) cannot be parsed: "
            f"{first or type(exc).__name__}",
            path=url,
            hint="The answer may be truncated or not RDF; try again.",
        ) from exc
    return QueryResult("construct", triples=tuple(sorted(graph)))


def _complete_line(tail: bytes, fmt: str) -> bool:
    """A last line that needs no full stop: a comment, or a SPARQL-style PREFIX or BASE."""
    last = tail.rsplit(b"\n", 1)[-1].lstrip().lower()
    return fmt != "xml" and last.startswith((b"#", b"prefix", b"base"))
