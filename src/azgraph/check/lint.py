"""A quality report on the ontology and data, in the spirit of ROBOT ``report``.

Each check is a SPARQL file in ``lint/`` with the same ``#+`` header as ``queries/`` (``kind:
check``, ``severity: error|warning|info``), returning ``?focus ?message [?value]`` and no rows
when all is well. Users add checks by adding files. ERROR findings make `azgraph lint` exit 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azgraph.errors import InputError
from azgraph.project import Project
from azgraph.query.queries import QueryFile, load_queries, run_local
from azgraph.rdf.namespaces import short
from azgraph.rdf.store import graph_files, load_oxigraph

LEVELS = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


@dataclass(frozen=True)
class Finding:
    check: str
    level: str  # ERROR, WARN or INFO
    focus: str
    message: str
    value: str


@dataclass(frozen=True)
class LintReport:
    checks: tuple[QueryFile, ...]
    findings: tuple[Finding, ...]

    def at(self, level: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == level)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.at("ERROR")


def lint_checks(folder: Path) -> list[QueryFile]:
    if not folder.is_dir():
        raise InputError("no lint checks here", path=folder, hint="Create lint/ with .rq checks.")
    checks = list(load_queries(folder).values())
    for check in checks:
        if check.kind != "check":
            raise InputError(
                f"'{check.name}' is kind: {check.kind}, not check",
                path=check.path,
                hint="Lint files are '#+ kind: check' queries returning ?focus ?message.",
            )
    return checks


def lint_files(files: list[Path], checks: list[QueryFile], *, store: Any = None) -> LintReport:
    """Run ``checks`` on the graph made of ``files`` (or on ``store``, already loaded from them)."""
    store = store if store is not None else load_oxigraph(files)
    findings = []
    for check in checks:
        result = run_local(store, check, {})
        names = result.variables
        if "focus" not in names or "message" not in names:
            raise InputError(
                "a check must select ?focus and ?message", path=check.path or check.name
            )
        for row in result.rows:
            cells = dict(zip(names, row, strict=True))
            findings.append(
                Finding(
                    check=check.name,
                    level=LEVELS[check.severity or "error"],
                    focus=short(cells["focus"]),
                    message=short(cells["message"]),
                    value=short(cells.get("value")),
                )
            )
    return LintReport(tuple(checks), tuple(findings))


def run_lint(project: Project, *, checks_dir: Path | None = None) -> LintReport:
    """Run ``lint/*.rq`` (or ``checks_dir``) on the ontology plus ``data/*.ttl``, and lint the
    shapes in ``shapes/`` (unknown sh: terms, shapes that target nothing) as warnings."""
    checks = lint_checks(checks_dir or project.root / "lint")
    files = graph_files(project)
    store = load_oxigraph(files)
    report = lint_files(files, checks, store=store)
    from azgraph.check.lookalike import lookalike_findings
    from azgraph.check.termlabels import cross_kind_label_findings

    report = LintReport(
        report.checks,
        report.findings
        + tuple(
            Finding(check=check, level="WARN", focus=focus, message=message, value="")
            for check, focus, message in lookalike_findings(store)
            + cross_kind_label_findings(store)
        ),
    )
    if not project.shapes_dir.is_dir():
        return report
    from azgraph.check.shapelint import lint_shapes
    from azgraph.check.validate import load_shapes

    extra = tuple(
        Finding(check=check, level="WARN", focus=focus, message=message, value="")
        for check, focus, message in lint_shapes(load_shapes(project.shapes_dir), store)
    )
    return LintReport(report.checks, report.findings + extra)


# The checks written in Python rather than as lint/*.rq files, with the titles lint prints.
BUILT_IN_CHECKS = {
    "label-not-nfc": "Labels not in Unicode normal form C",
    "lookalike-label": "Distinct entities whose labels differ only by case, normal form or the "
    "Turkish i",
    "cross-kind-label": "Terms of different kinds (class, property, individual) sharing a label",
    "shape-unknown-term": "Shapes using a term the SHACL vocabulary does not define",
    "shape-targets-nothing": "Shapes whose targets match no node",
}


def render_lint(report: LintReport, *, fmt: str = "text", max_shown: int = 20) -> str:
    if fmt == "tsv":
        lines = ["level\tcheck\tfocus\tmessage\tvalue"]
        lines += [
            f"{f.level}\t{f.check}\t{f.focus}\t{f.message}\t{f.value}" for f in report.findings
        ]
        return "\n".join(lines) + "\n"
    lines = []
    for level in LEVELS.values():
        found = report.at(level)
        if not found:
            continue
        lines.append(f"{level} ({len(found)})")
        titles = {check.name: check.title for check in report.checks}
        for name in dict.fromkeys(f.check for f in found):  # every check with findings, in order
            rows = [f for f in found if f.check == name]
            title = titles.get(name) or BUILT_IN_CHECKS.get(name, name)
            lines.append(f"  {name}: {title} ({len(rows)})")
            for row in rows[:max_shown]:
                value = f" [{row.value}]" if row.value else ""
                lines.append(f"    {row.focus}: {row.message}{value}")
            if len(rows) > max_shown:
                lines.append(f"    ... and {len(rows) - max_shown} more")
    counts = ", ".join(f"{len(report.at(level))} {level}" for level in LEVELS.values())
    lines.append(f"{len(report.checks)} checks: {counts}")
    return "\n".join(lines) + "\n"
