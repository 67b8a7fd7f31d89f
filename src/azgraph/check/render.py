"""Turning a `Report` into text, JSON or TSV: the one renderer of `validate` and `lint`.

The two commands lay their text out differently because they answer different questions:
`validate` groups by entity (a curator fixes one thing at a time), `lint` by severity and check
(a maintainer sees which rule fires how often). Both print a severity as its word of
`azgraph.severity` in capitals, and both write the same JSON, so a check reads alike in either.
"""

from __future__ import annotations

import json

from rdflib.term import Node

from azgraph.check.report import Report, Result
from azgraph.rdf.namespaces import short
from azgraph.severity import SEVERITIES


def render_report(report: Report, fmt: str) -> str:
    """`validate`'s layout: problems grouped by entity, with its label, or JSON."""
    if fmt == "json":
        return render_json(report)
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
    counts = report.counts()
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    verdict = "Does not conform" if not report.conforms else "Conforms (with warnings)"
    lines.append(f"{verdict}: {summary}.")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """One object: ``conforms`` (no error) and every result with its severity word."""
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
    body = {"conforms": report.conforms, "results": items}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def check_id(result: Result) -> str:
    """The registry id of the check that found ``result`` (its shape, for a SHACL result)."""
    return result.source.removeprefix("check:")


def render_lint(report: Report, *, fmt: str = "text", max_shown: int = 20) -> str:
    """`lint`'s layout: by severity, then check (in registry order), or JSON or TSV."""
    if fmt == "json":
        return render_json(report)
    if fmt == "tsv":
        lines = ["level\tcheck\tfocus\tmessage\tvalue"]
        lines += [
            f"{r.severity.upper()}\t{check_id(r)}\t{short(r.focus)}\t{r.message}\t{short(r.value)}"
            for r in report.results
        ]
        return "\n".join(lines) + "\n"
    titles = {check.id: check.title for check in report.checks}
    lines = []
    for severity in SEVERITIES:
        found = report.at(severity)
        if found:
            lines.append(f"{severity.upper()} ({len(found)})")
        for name in dict.fromkeys(check_id(r) for r in found):
            rows = [r for r in found if check_id(r) == name]
            lines.append(f"  {name}: {titles.get(name) or name} ({len(rows)})")
            for row in rows[:max_shown]:
                value = f" [{short(row.value)}]" if short(row.value) else ""
                lines.append(f"    {short(row.focus)}: {row.message}{value}")
            if len(rows) > max_shown:
                lines.append(f"    ... and {len(rows) - max_shown} more")
    counts = ", ".join(f"{n} {s.upper()}" for s, n in report.counts().items())
    lines.append(f"{len(report.checks)} checks: {counts}")
    return "\n".join(lines) + "\n"
