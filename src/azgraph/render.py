"""Turning results into text: query rows as table/CSV/TSV/JSON, validation reports as text/JSON.

Rendering is separate from running so that local and remote queries print identically.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import new_graph, short
from .queries import QueryResult
from .turtle import to_turtle
from .validate import Report

FORMATS = ("table", "csv", "tsv", "json")


def render_result(result: QueryResult, fmt: str) -> str:
    if result.form == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.form == "construct":
        graph: Graph = new_graph()
        for triple in result.triples:
            graph.add(triple)
        return to_turtle(graph)
    if fmt == "json":
        return _json(result)
    if fmt in ("csv", "tsv"):
        return _delimited(result, "," if fmt == "csv" else "\t")
    return _table(result.variables, [[short(t) for t in row] for row in result.rows])


def _json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON, so other tools can read it."""
    bindings = []
    for row in result.rows:
        binding: dict[str, dict[str, str]] = {}
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                binding[name] = {"type": "uri", "value": str(term)}
            elif isinstance(term, BNode):
                binding[name] = {"type": "bnode", "value": str(term)}
            elif isinstance(term, Literal):
                cell = {"type": "literal", "value": str(term)}
                if term.language:
                    cell["xml:lang"] = term.language
                elif term.datatype:
                    cell["datatype"] = str(term.datatype)
                binding[name] = cell
        bindings.append(binding)
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _delimited(result: QueryResult, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return out.getvalue()


def _table(headers: Sequence[str], rows: list[list[str]], max_width: int = 60) -> str:
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


def render_report(report: Report, fmt: str) -> str:
    """Group problems by entity, with its label, so a curator sees one thing to fix at a time."""
    if fmt == "json":
        items = [
            {
                "severity": r.severity,
                "focus": str(r.focus),
                "label": report.labels.get(r.focus),
                "path": short(r.path) if r.path else None,
                "value": short(r.value) if r.value else None,
                "message": r.message,
                "source": r.source,
            }
            for r in report.results
        ]
        return (
            json.dumps(
                {"conforms": report.conforms, "results": items}, ensure_ascii=False, indent=2
            )
            + "\n"
        )
    if not report.results:
        return "Conforms: no problems found.\n"
    lines: list[str] = []
    current: Node | None = None
    for r in report.results:
        if r.focus != current:
            current = r.focus
            label = report.labels.get(r.focus)
            lines.append(f"{short(r.focus)}" + (f"  ({label})" if label else ""))
        where = f" {short(r.path)}" if r.path is not None else ""
        value = f" = {short(r.value)}" if r.value is not None else ""
        lines.append(f"  {r.severity.upper()}{where}{value}: {r.message}  [{r.source}]")
    counts = {
        s: sum(1 for r in report.results if r.severity == s) for s in ("error", "warning", "info")
    }
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    verdict = "Does not conform" if not report.conforms else "Conforms (with warnings)"
    lines.append(f"{verdict}: {summary}.")
    return "\n".join(lines) + "\n"
