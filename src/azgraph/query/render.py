"""Turning query results into text: rows as table/CSV/TSV/JSON (check reports: check/render.py).

Rendering is separate from running so that local and remote queries print identically. The
fast lane of `query run` (fastlane.py) renders with this module, so its module-level imports
stay as light as that lane's: json, csv and io are imported where a format needs them.
"""

from __future__ import annotations

from azgraph.rdf.prefixes import short_iri
from azgraph.rdf.terms import as_rdflib, term_parts

TYPE_CHECKING = False  # typing costs a cold `query run` about 8 ms
if TYPE_CHECKING:  # rdflib is imported only where used: `query run` never needs it
    from collections.abc import Sequence
    from typing import Any

    from azgraph.query.queries import QueryResult

FORMATS = ("table", "csv", "tsv", "json")


def render_result(result: QueryResult, fmt: str) -> str:
    if result.form == "ask":
        return render_boolean(result.boolean, fmt)
    if result.form == "construct":
        from azgraph.rdf.namespaces import new_graph
        from azgraph.rdf.turtle import to_turtle

        graph = new_graph()
        for s, p, o in result.triples:
            graph.add((as_rdflib(s), as_rdflib(p), as_rdflib(o)))
        return to_turtle(graph)
    return render_rows(result.variables, result.rows, fmt)


def render_boolean(boolean: bool | None, fmt: str) -> str:
    """An ASK answer."""
    if fmt == "json":
        import json

        return json.dumps({"head": {}, "boolean": boolean}) + "\n"
    return ("true" if boolean else "false") + "\n"


def render_rows(variables: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """SELECT rows (rdflib or pyoxigraph terms, None when unbound) in one of `FORMATS`."""
    if fmt == "json":
        return _json(variables, rows)
    if fmt in ("csv", "tsv"):
        return _delimited(variables, rows, "," if fmt == "csv" else "\t")
    return table(variables, [[_short(t) for t in row] for row in rows])


def _short(term: Any) -> str:
    """`namespaces.short` for rdflib and pyoxigraph terms alike."""
    if term is None:
        return ""
    kind, value, _, _ = term_parts(term)
    if kind == "uri":
        return short_iri(value)
    return f"_:{value}" if kind == "bnode" else value


def _json(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL 1.1 Query Results JSON, so other tools can read it."""
    import json

    bindings = []
    for row in rows:
        binding: dict[str, dict[str, str]] = {}
        for name, term in zip(variables, row, strict=True):
            if term is None:
                continue
            kind, value, language, datatype = term_parts(term)
            cell = {"type": kind, "value": value}
            if language:
                cell["xml:lang"] = language
            elif datatype:
                cell["datatype"] = datatype
            binding[name] = cell
        bindings.append(binding)
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _delimited(variables: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else term_parts(t)[1] for t in row])
    return out.getvalue()


def table(headers: Sequence[str], rows: list[list[str]], max_width: int = 60) -> str:
    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[clip(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line, rule, *body, count]) + "\n"
