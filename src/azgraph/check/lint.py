"""`azgraph lint`: the curation-hygiene checks of the registry, in the spirit of ROBOT ``report``.

The checks are ``lint/*.rq`` (``#+ kind: check`` SPARQL, ``severity: error|warning|info``,
returning ``?focus ?message [?value]`` and no rows when all is well; users add checks by adding
files) and the checks written in Python (registry.py). The result is the same `Report` that
`validate` returns, rendered by render.py; an error (or a result as severe as ``--fail-on``)
makes `azgraph lint` exit 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azgraph.check.registry import lint_checks, run_checks
from azgraph.check.report import Check, Report
from azgraph.project import Project
from azgraph.rdf.store import graph_files, load_oxigraph


def lint_files(
    files: list[Path], checks: list[Check], *, store: Any = None, shapes: Any = None
) -> Report:
    """Run ``checks`` on the graph made of ``files`` (or on ``store``, already loaded from them)
    and on ``shapes``; findings in registry order, each check's in its own order."""
    from azgraph.check.validate import add_labels

    store = store if store is not None else load_oxigraph(files)
    results = run_checks(checks, store, shapes)
    report = Report(conforms=True, results=results, checks=list(checks))
    report.conforms = not report.errors
    add_labels(report, None, store)
    return report


def run_lint(project: Project, *, checks_dir: Path | None = None) -> Report:
    """Run the lint checks (``lint/*.rq`` or ``checks_dir``, and the built-in ones) on the
    ontology plus ``data/*.ttl``, and on the shapes in ``shapes/`` where there are any."""
    checks = lint_checks(project, checks_dir)
    shapes = None
    if project.shapes_dir.is_dir():
        from azgraph.check.validate import load_shapes

        shapes = load_shapes(project.shapes_dir)
    return lint_files(graph_files(project), checks, shapes=shapes)
