"""The one registry of checks that `validate` and `lint` run, and the one way to run them.

A check has an id, a severity (a word of `azgraph.severity`), a title, a description and what it
runs. Most are SPARQL files with a ``#+`` header (``kind: check``) returning ``?focus ?message
[?value]`` and no rows when all is well; a few are Python functions (look-alike labels, shape
lint) because SPARQL cannot say them. Which command runs a check is where it lives, a choice the
user sees: ``queries/`` (``kind: check`` files) is the graph's correctness and runs in
`azgraph validate`, beside the shapes; ``lint/`` plus the checks built in here are curation
hygiene and run in `azgraph lint`. Both commands turn findings into the same `Result`s of the
same `Report`, so a check reads alike wherever it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Graph

from azgraph.check.lookalike import lookalikes, not_nfc
from azgraph.check.report import Check, Result
from azgraph.check.shapelint import targets_nothing, unknown_terms
from azgraph.check.termlabels import cross_kind_labels
from azgraph.errors import InputError
from azgraph.project import Project
from azgraph.query.queries import QueryFile, load_queries, run_local

# The checks written in Python, all run by `azgraph lint`.
BUILT_IN: tuple[Check, ...] = (
    Check(
        "label-not-nfc",
        "warning",
        "Labels not in Unicode normal form C",
        "A label typed in a decomposed form (u + U+0308 for ü) looks equal to its NFC twin but "
        "does not match it in a query.",
        "azgraph.check.lookalike.not_nfc",
        function=not_nfc,
    ),
    Check(
        "lookalike-label",
        "warning",
        "Distinct entities whose labels differ only by case, normal form or the Turkish i",
        "Readers take such labels for one name, and a query for one misses the other.",
        "azgraph.check.lookalike.lookalikes",
        function=lookalikes,
    ),
    Check(
        "cross-kind-label",
        "warning",
        "Terms of different kinds (class, property, individual) sharing a label",
        "Protégé, the ontology docs and the site show labels instead of IRIs, so a class and a "
        "property labelled alike read as one term.",
        "azgraph.check.termlabels.cross_kind_labels",
        function=cross_kind_labels,
    ),
    Check(
        "shape-unknown-term",
        "warning",
        "Shapes using a term the SHACL vocabulary does not define",
        "pySHACL ignores a misspelt sh: term, so the constraint it meant is never checked.",
        "azgraph.check.shapelint.unknown_terms",
        function=unknown_terms,
        needs_shapes=True,
    ),
    Check(
        "shape-targets-nothing",
        "warning",
        "Shapes whose targets match no node",
        "A shape that targets nothing always conforms, so it can never report a problem.",
        "azgraph.check.shapelint.targets_nothing",
        function=targets_nothing,
        needs_shapes=True,
    ),
)


def query_check(query: QueryFile) -> Check:
    """The registry entry of a ``kind: check`` query file."""
    return Check(
        query.name,
        query.severity or "error",
        query.title,
        query.description,
        str(query.path or query.name),
        query=query,
    )


def check_folder(folder: Path) -> list[Check]:
    """Every .rq file of ``folder`` (lint/, or ``lint --checks``), each of which must be a
    ``kind: check`` query."""
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
    return [query_check(check) for check in checks]


def validate_checks(project: Project) -> list[Check]:
    """The checks `azgraph validate` runs beside the shapes: the ``kind: check`` files of
    ``queries/`` (its other queries are reports)."""
    if not project.queries_dir.is_dir():
        return []
    queries = load_queries(project.queries_dir).values()
    return [query_check(q) for q in queries if q.kind == "check"]


def lint_checks(project: Project, checks_dir: Path | None = None) -> list[Check]:
    """The checks `azgraph lint` runs: ``lint/*.rq`` (or ``checks_dir``), then the built-in
    ones (those about shapes only where the project has shapes/)."""
    found = check_folder(checks_dir or project.root / "lint")
    has_shapes = project.shapes_dir.is_dir()
    return found + [c for c in BUILT_IN if has_shapes or not c.needs_shapes]


def run_checks(checks: list[Check], store: Any, shapes: Graph | None = None) -> list[Result]:
    """Every finding of ``checks`` on ``store`` (and ``shapes``), check by check, each in the
    check's own order."""
    found: list[Result] = []
    for check in checks:
        if check.query is not None:
            found.extend(query_results(store, check.query))
            continue
        assert check.function is not None, f"check {check.id} runs nothing"
        found.extend(
            Result(check.severity, focus, message, source=f"check:{check.id}")
            for focus, message in check.function(store, shapes)
        )
    return found


def query_results(store: Any, query: QueryFile) -> list[Result]:
    """The rows of one check query as results: ``?focus`` (required), ``?message`` (the title
    when unbound) and ``?value``."""
    result = run_local(store, query, {})
    if "focus" not in result.variables:
        raise InputError(
            f"check query '{query.name}' does not select ?focus",
            path=query.path or query.name,
            hint="Project ?focus ?message (and ?value).",
        )
    found = []
    for row in result.rows:
        values = dict(zip(result.variables, row, strict=True))
        focus = values.get("focus")
        if focus is None:
            raise InputError(
                f"check query '{query.name}' returned a row without ?focus",
                path=query.path,
                hint="Project ?focus ?message (and ?value).",
            )
        found.append(
            Result(
                severity=query.severity or "error",
                focus=focus,
                message=str(values.get("message") or query.title),
                value=values.get("value"),
                source=f"check:{query.name}",
            )
        )
    return found
