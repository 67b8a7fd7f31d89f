"""`azgraph lint`: clean of errors on the real graph, and every check shown able to fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.check.lint import lint_files, run_lint
from azgraph.check.registry import check_folder
from azgraph.cli.main import cli
from azgraph.project import Project

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
CHECKS = {c.id: c for c in check_folder(REPO / "lint")}


def test_every_check_has_a_severity_and_a_bad_fixture() -> None:
    assert CHECKS
    for name, check in CHECKS.items():
        assert check.query is not None and check.query.kind == "check"
        assert check.severity in ("error", "warning", "info")
        assert check.title and check.description
        assert (FIXTURES / f"{name}.ttl").is_file(), f"no fixture for lint/{name}.rq"


def test_real_graph_has_no_lint_errors() -> None:
    report = run_lint(Project.at(REPO))
    assert report.errors == []


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_finds_its_bad_fixture(name: str) -> None:
    report = lint_files([ONTOLOGY, FIXTURES / f"{name}.ttl"], [CHECKS[name]])
    assert report.results, f"lint/{name}.rq found nothing in its bad fixture"
    assert all(r.source == f"check:{name}" and r.focus and r.message for r in report.results)


def test_lint_command_exits_1_on_error_and_runs_a_users_own_check(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("ontology", "curated", "data"):
        (root / folder).mkdir(parents=True)
    shutil.copy(ONTOLOGY, root / "ontology" / "azgraph.ttl")
    shutil.copytree(REPO / "lint", root / "lint")
    shutil.copy(FIXTURES / "missing-label.ttl", root / "data" / "bad.ttl")
    (root / "lint" / "no-kazakhs.rq").write_text(
        "#+ title: Nothing named Nameless\n#+ description: A user's own check.\n"
        "#+ kind: check\n#+ severity: info\n\n"
        "SELECT ?focus ?message WHERE { ?focus a az:State . "
        'FILTER (?focus = state:nameless) BIND ("user check fired" AS ?message) } '
        "ORDER BY ?focus ?message\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["lint", "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert "ERROR (1)" in result.output
    assert "state:nameless: has no rdfs:label" in result.output
    assert "user check fired" in result.output
