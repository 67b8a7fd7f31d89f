"""Query parameters: ``--param k=v`` strings to RDF terms, bound by a VALUES block.

Values become RDF terms (IRIs checked, literals escaped by their library), never pasted query
text, so a parameter cannot change a query's structure; the same bound text runs locally and on
any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from azgraph.errors import QueryError
from azgraph.rdf.prefixes import PREFIXES

if TYPE_CHECKING:
    from rdflib.term import Node

    from azgraph.query.queries import QueryFile

XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
TERM_KINDS = ("rdflib", "oxigraph")


def bind_params(
    query: QueryFile, given: dict[str, str], *, terms: str = "rdflib"
) -> dict[str, Node]:
    """Turn ``--param k=v`` strings into RDF terms by each parameter's declared type.

    ``terms="oxigraph"`` gives pyoxigraph terms (the fast local path, no rdflib import).
    """
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise QueryError(
            f"unknown parameter '{unknown[0]}' for query '{query.name}'",
            hint=f"Its parameters: {known}.",
        )
    bound: dict[str, Node] = {}
    for name, spec in query.params.items():
        raw = given.get(name, spec.default)
        if raw is None:
            raise QueryError(
                f"query '{query.name}' needs --param {name}=...",
                hint=spec.description or f"Give a {spec.type}.",
            )
        bound[name] = to_term(raw, spec.type, name, terms=terms)
    return bound


def to_term(raw: str, ptype: str, name: str, *, terms: str = "rdflib") -> Any:
    """A parameter value as an RDF term; IRIs are checked, never pasted into query text."""
    if terms not in TERM_KINDS:
        raise ValueError(f"unknown term kind {terms!r}")
    Literal: Any  # noqa: N806  (rdflib or pyoxigraph class, chosen below)
    URIRef: Any  # noqa: N806
    if terms == "rdflib":
        from rdflib import Literal, URIRef
    else:
        from pyoxigraph import Literal
        from pyoxigraph import NamedNode as URIRef

    if ptype == "iri":
        iri = _expand(raw)
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", iri):
            raise QueryError(
                f"--param {name}: '{raw}' is not an IRI",
                hint="Give a full IRI or a prefixed name such as state:azerbaijan.",
            )
        return URIRef(iri)
    if ptype == "integer":
        if not re.match(r"^-?\d+$", raw):
            raise QueryError(f"--param {name}: '{raw}' is not a whole number")
        if terms == "rdflib":
            return Literal(int(raw))
        return Literal(str(int(raw)), datatype=URIRef(XSD_INTEGER))
    if ptype == "date":
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", raw):
            raise QueryError(f"--param {name}: '{raw}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD)")
        parts = (raw.split("-") + ["01", "01"])[:3]
        return Literal(f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00", datatype=URIRef(XSD_DATETIME))
    if ptype == "text":
        return Literal(raw, lang="en") if terms == "rdflib" else Literal(raw, language="en")
    return Literal(raw)


def _expand(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">"):
        return raw[1:-1]
    prefix, sep, local = raw.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return raw


def with_bindings(text: str, bindings: dict[str, Node]) -> str:
    """Bind parameters with a VALUES block at the start of the outermost WHERE group.

    The values are RDF terms serialised by rdflib (quotes and backslashes escaped, IRIs checked
    by `to_term`), never user text, so a parameter cannot change the query's structure. The same
    text runs on any SPARQL 1.1 endpoint. Parameters must be used in the outer group, not only
    inside a sub-select, whose variables are out of the block's scope.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = (
        "VALUES ("
        + " ".join(f"?{n}" for n in names)
        + ") { ("
        + " ".join(_n3(bindings[n]) for n in names)
        + ") }"
    )
    from azgraph.query.sparqlvet import (
        tokens,  # braces in strings, IRIs and comments are not tokens
    )

    seen_where = False
    for match in tokens(text):
        token = match.group(0)
        if match.group("word") and token.upper() == "WHERE":
            seen_where = True
        elif token == "{" and (
            seen_where or not re.search(r"(?i)\bCONSTRUCT\b", text[: match.start()])
        ):
            return f"{text[: match.end()]}\n  {block}\n{text[match.end() :]}"
    raise QueryError("cannot find the query's WHERE clause to bind parameters")


def _n3(term: Any) -> str:
    """N-Triples form of an rdflib term (``n3()``) or a pyoxigraph term (``str()``)."""
    return str(term.n3()) if hasattr(term, "n3") else str(term)
