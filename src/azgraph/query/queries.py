"""Bundled and user SPARQL queries: finding them, reading their headers, vetting and running them.

A query file starts with ``#+ key: value`` header lines (YAML, read by the strict loader); the
file name is the query's CLI name. Every query passes the gate (`sparqlvet.vet_query`) before it
runs: texts past the size and nesting bounds, ``SERVICE``, ``FROM``/``FROM NAMED`` and updates
are refused, because pyoxigraph would otherwise crash, or reach the network or the file system
on the query author's behalf.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from azgraph import severity as severity_words
from azgraph.errors import LimitError, PolicyError, QueryError
from azgraph.query.params import TERM_KINDS as TERM_KINDS
from azgraph.query.params import bind_params as bind_params
from azgraph.query.params import to_term as to_term
from azgraph.query.params import with_bindings as with_bindings
from azgraph.query.sparqlvet import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from azgraph.query.sparqlvet import check_bounds, explain_runtime_error, syntax_error
from azgraph.query.sparqlvet import vet_query as vet_query
from azgraph.query.sparqlvet import with_prologue as with_prologue

if TYPE_CHECKING:
    from rdflib.term import Node


KINDS = ("report", "check", "construct")
SEVERITIES = severity_words.SEVERITIES
PARAM_TYPES = ("iri", "string", "text", "integer", "date")
HEADER_KEYS = {"title", "description", "kind", "severity", "params", "tags", "endpoint"}
_PARAM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Param(NamedTuple):
    """A query parameter: bound to a SPARQL variable of the same name as an RDF term."""

    name: str
    type: str
    description: str
    default: str | None


class QueryFile(NamedTuple):
    """One SPARQL query with its header."""

    name: str
    text: str
    title: str
    description: str
    kind: str
    path: Path | None = None
    severity: str | None = None
    params: dict[str, Param] = {}  # never mutated: a NamedTuple default is shared
    tags: tuple[str, ...] = ()


class QueryResult(NamedTuple):
    """Rows of a SELECT (terms may be None when unbound), an ASK answer, or CONSTRUCT triples."""

    form: str  # "select", "ask" or "construct"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()


def parse_query_file(path: Path) -> QueryFile:
    """Read a ``.rq`` file and its header; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query: {exc}", path=path) from exc
    return parse_query_text(text, name=path.stem, path=path)


def parse_query_text(text: str, *, name: str, path: Path | None = None) -> QueryFile:
    header_lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[2:].removeprefix(" "))
        elif line.strip():
            break
    fields = _header_fields(header_lines, path or name)
    return QueryFile(name=name, text=text, path=path, **fields)


def _header_fields(header_lines: list[str], where: Path | str) -> dict[str, Any]:
    """The header's fields, from the cache when this exact header was read before.

    PyYAML costs a cold process about 50 ms to import, half the budget of `query run`; a header
    that parsed once parses the same way again, so its result is cached by content (cache.py).
    """
    if not header_lines:
        return {"title": "", "description": "", "kind": "report", "severity": None}
    from azgraph.cache import read_json, text_key, write_json

    source = "\n".join(header_lines)
    key = text_key(source)
    cached = read_json("query-headers", key)
    if isinstance(cached, dict) and set(cached) == set(_FIELD_NAMES):
        try:
            return _fields_from_json(cached)
        except (TypeError, ValueError, KeyError):
            pass  # a damaged entry: parse again and overwrite it
    fields = _parse_header(source, where)
    write_json("query-headers", key, _fields_to_json(fields))
    return fields


_FIELD_NAMES = ("title", "description", "kind", "severity", "params", "tags")


def _fields_to_json(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    out["params"] = [[p.name, p.type, p.description, p.default] for p in fields["params"].values()]
    out["tags"] = list(fields["tags"])
    return out


def _fields_from_json(raw: dict[str, Any]) -> dict[str, Any]:
    fields = dict(raw)
    fields["params"] = {p[0]: Param(*p) for p in raw["params"]}
    fields["tags"] = tuple(raw["tags"])
    for key in ("title", "description", "kind"):
        if not isinstance(fields[key], str):
            raise TypeError(key)
    return fields


def _parse_header(source: str, where: Path | str) -> dict[str, Any]:
    from azgraph.yamlsafe import YMap, parse_yaml

    header = parse_yaml(source, where)
    if header is None:
        header = YMap()
        header.key_lines = {}
    if not isinstance(header, YMap):
        raise QueryError("the '#+' header must be key: value lines", path=where, line=1)
    for key in header:
        if key not in HEADER_KEYS:
            raise QueryError(
                f"unknown header key '{key}'",
                path=where,
                line=header.line_of(key),
                hint=f"Use: {', '.join(sorted(HEADER_KEYS))}.",
            )
    kind = str(header.get("kind", "report"))
    if kind not in KINDS:
        raise QueryError(
            f"unknown kind '{kind}'",
            path=where,
            line=header.line_of("kind"),
            hint=f"Use one of: {', '.join(KINDS)}.",
        )
    severity = header.get("severity")
    if severity is not None:
        line = header.line_of("severity")
        severity = severity_words.read(str(severity), where=f"{where}:{line}")
        if kind != "check" or severity is None:
            raise QueryError(
                "'severity' is error, warning or info, and only for kind: check",
                path=where,
                line=line,
            )
    params = _params(header.get("params"), where, header.line_of("params"))
    tags = header.get("tags") or []
    return {
        "title": str(header.get("title", "")),
        "description": str(header.get("description", "")),
        "kind": kind,
        "severity": severity if kind != "check" else (severity or "error"),
        "params": params,
        "tags": tuple(str(t) for t in tags) if isinstance(tags, list) else (),
    }


def _params(raw: Any, where: Path | str, line: int) -> dict[str, Param]:
    from azgraph.yamlsafe import YMap

    if raw is None:
        return {}
    if not isinstance(raw, YMap):
        raise QueryError(
            "'params' must map names to {type, description, default}", path=where, line=line
        )
    params: dict[str, Param] = {}
    for name, spec in raw.items():
        if not _PARAM.match(name) or not isinstance(spec, YMap):
            raise QueryError(
                f"parameter '{name}' is malformed",
                path=where,
                line=raw.line_of(name),
                hint="Write  name: {type: iri, description: ..., default: ...}",
            )
        ptype = str(spec.get("type", "string"))
        if ptype not in PARAM_TYPES:
            raise QueryError(
                f"parameter '{name}' has unknown type '{ptype}'",
                path=where,
                line=raw.line_of(name),
                hint=f"Use one of: {', '.join(PARAM_TYPES)}.",
            )
        default = spec.get("default")
        params[name] = Param(
            name,
            ptype,
            str(spec.get("description", "")),
            str(default) if default is not None else None,
        )
    return params


def load_queries(folder: Path) -> dict[str, QueryFile]:
    """Every ``*.rq`` in ``folder``, by name, in name order."""
    return {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}


def find_query(folder: Path, name_or_path: str) -> QueryFile:
    """A bundled query by name, or a user's ``.rq`` file by path."""
    from azgraph.paths import query_path  # where the fast lane looks too

    where, as_file = query_path(str(folder), name_or_path)
    path = Path(where)
    if path.is_file():
        return parse_query_file(path)
    if as_file:
        raise QueryError(
            f"no such query file: {name_or_path}",
            hint="Check the path, or give a bundled query's name.",
        )
    import difflib

    names = sorted(p.stem for p in folder.glob("*.rq"))
    close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.5)
    hint = f"Did you mean {', '.join(close)}?" if close else "Run 'azgraph query list'."
    raise QueryError(f"unknown query '{name_or_path}'", hint=hint)


def vet_query_algebra(text: str, where: Path | str = "<query>") -> str:
    """Check syntax and policy on rdflib's parsed algebra; return the query form.

    Refused: updates, SERVICE, FROM and FROM NAMED (they reach the network or files).
    Slower than `vet_query` (it imports rdflib's SPARQL parser); kept as its reference.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    check_bounds(text, where)
    full = with_prologue(text)
    try:
        parsed = parseQuery(full)
    except Exception as exc:
        try:
            parseUpdate(full)
        except Exception:
            raise syntax_error(text, where) or QueryError(
                "SPARQL syntax error (rejected by the rdflib parser)", path=where
            ) from exc
        raise PolicyError(
            "SPARQL updates are refused: azgraph queries are read-only",
            path=where,
            hint="Edit curated/*.yaml and rebuild instead.",
        ) from exc
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            names.add(node.name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(parsed[1])
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as exc:
        raise QueryError(f"invalid query: {exc}", path=where) from exc
    walk(algebra)
    if "ServiceGraphPattern" in names:
        raise PolicyError(
            "SERVICE is refused: a query may not contact other endpoints",
            path=where,
            hint="Remove the SERVICE clause.",
        )
    if "DatasetClause" in names:
        raise PolicyError(
            "FROM and FROM NAMED are refused: they load files or URLs",
            path=where,
            hint="Remove them; the query runs on the azgraph graph.",
        )
    form = parsed[1].name
    if form == "DescribeQuery":
        return "construct"
    return {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct"}[form]


def run_local(
    store: Any,
    query: QueryFile,
    bindings: dict[str, Node],
    *,
    limit: int | None = None,
    terms: str = "rdflib",
    timeout: float | None = None,
) -> QueryResult:
    """Run a vetted query on a pyoxigraph store, parameters bound by a VALUES block.

    With ``timeout`` (seconds), a query still running then raises `LimitError` (exit 6).

    Rows hold rdflib terms, or with ``terms="oxigraph"`` the store's own terms (no conversion,
    no rdflib import: the CLI's fast path; `render.render_result` prints both alike).
    """
    text, form = prepare_query(query, bindings)
    return run_prepared(store, query, text, form, limit=limit, terms=terms, timeout=timeout)


def prepare_query(query: QueryFile, bindings: dict[str, Node]) -> tuple[str, str]:
    """The text that runs (parameters bound by a VALUES block) and its vetted form.

    The bounds are checked on the text as written too, before `with_bindings` tokenizes it.
    """
    where = query.path or query.name
    check_bounds(query.text, where)
    text = with_bindings(query.text, bindings)
    return text, vet_query(text, where, syntax=False, local=True)


def run_prepared(
    store: Any,
    query: QueryFile,
    text: str,
    form: str,
    *,
    limit: int | None = None,
    terms: str = "rdflib",
    timeout: float | None = None,
) -> QueryResult:
    """Run `prepare_query`'s text and form on a pyoxigraph store (see `run_local`)."""
    if terms not in TERM_KINDS:
        raise ValueError(f"unknown term kind {terms!r}")
    convert: Any
    if terms == "rdflib":
        from azgraph.rdf.terms import to_rdflib as convert
    else:
        from azgraph.query.engine import same_term as convert
    if timeout is None:
        return _evaluate(store, text, form, query, convert, limit)
    from azgraph.deadline import DeadlineError, run_with_deadline

    try:
        result: QueryResult = run_with_deadline(
            lambda: _evaluate(store, text, form, query, convert, limit), timeout
        )
    except DeadlineError:
        raise timeout_error(timeout, query.path or query.name) from None
    return result


def timeout_error(timeout: float, where: Path | str) -> LimitError:
    """The error of a query still running after ``--timeout`` seconds (both lanes raise it)."""
    return LimitError(
        f"query stopped after {timeout:g} s (--timeout)",
        path=where,
        hint="Narrow the query (fewer joins, a LIMIT) or raise --timeout.",
    )


def _evaluate(
    store: Any, text: str, form: str, query: QueryFile, convert: Any, limit: int | None
) -> QueryResult:
    from azgraph.query.engine import execute

    where = query.path or query.name
    try:
        return QueryResult(*execute(store, text, form, limit, convert))
    except SyntaxError as exc:
        raise syntax_error(text, where) or QueryError(
            f"SPARQL syntax error: {exc}", path=where
        ) from exc
    except RuntimeError as exc:  # an extension function: parsed, but pyoxigraph cannot run it
        raise explain_runtime_error(str(exc), where) from exc
