"""One check system: a check defined once reads alike in `validate` and `lint`, with one severity
vocabulary (error, warning, info) and one rule from severity to exit code (`--fail-on`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from azgraph.check.registry import BUILT_IN, check_folder, lint_checks, validate_checks
from azgraph.check.report import Report, Result
from azgraph.cli.main import cli
from azgraph.project import Project
from azgraph.severity import SEVERITIES, from_shacl
from tests.conftest import make_project

REPO = Path(__file__).resolve().parents[2]
CHECK = (
    "#+ title: States of the test\n#+ description: Fires once per state.\n#+ kind: check\n"
    "#+ severity: {severity}\n\n"
    "PREFIX az: <https://w3id.org/azgraph/ontology#>\n\n"
    "SELECT ?focus ?message WHERE {{ ?focus a az:State . "
    'BIND ("a state, as the test wants" AS ?message) }} ORDER BY ?focus ?message\n'
)

SHAPE = (
    "@prefix az: <https://w3id.org/azgraph/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "<https://w3id.org/azgraph/shapes#StateShape> a sh:NodeShape ; sh:targetClass az:State ;\n"
    "    sh:property [ sh:path rdfs:label ; sh:minCount 1 ] .\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("registry"))
    for query in (root / "queries").glob("*.rq"):
        query.unlink()  # queries/ holds only the check under test, which lint also reads
    for shapes in (root / "shapes").glob("*.ttl"):
        shapes.unlink()  # and one shape, which targets a node: lint warns of none
    (root / "shapes" / "state.ttl").write_text(SHAPE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output
    return root


def run(built: Path, severity: str, *args: str) -> tuple[int, str, str]:
    (built / "queries" / "check-states.rq").write_text(CHECK.format(severity=severity), "utf-8")
    result = CliRunner().invoke(cli, [*args, "--project", str(built)])
    return result.exit_code, result.stdout, result.stderr


def validate(built: Path, severity: str, *args: str) -> tuple[int, str, str]:
    return run(built, severity, "validate", *args)


def lint(built: Path, severity: str, *args: str) -> tuple[int, str, str]:
    return run(built, severity, "lint", "--checks", str(built / "queries"), *args)


@pytest.mark.parametrize("severity", SEVERITIES)
def test_a_check_defined_once_prints_one_severity_word_in_both_commands(
    built: Path, severity: str
) -> None:
    word = severity.upper()
    _, text, _ = validate(built, severity)
    assert f"  {word}: a state, as the test wants  [check:check-states]" in text
    _, text, _ = lint(built, severity)
    assert f"{word} (" in text
    assert "  check-states: States of the test (" in text
    assert f"0 {word}" not in text.splitlines()[-1]
    for command in (validate, lint):
        _, out, _ = command(built, severity, "--format", "json")
        results = json.loads(out)["results"]
        mine = [r for r in results if r["source"] == "check:check-states"]
        assert mine and {r["severity"] for r in mine} == {severity}
        assert json.loads(out)["conforms"] is (severity != "error")


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"),
    [
        ("error", None, 1),
        ("warning", None, 0),
        ("info", None, 0),
        ("warning", "warning", 1),
        ("info", "warning", 0),
        ("info", "info", 1),
        ("error", "none", 0),
    ],
)
def test_exit_code_is_1_when_a_result_is_as_severe_as_fail_on(
    built: Path, severity: str, fail_on: str | None, code: int
) -> None:
    args = ("--fail-on", fail_on) if fail_on else ()
    assert validate(built, severity, *args)[0] == code
    assert lint(built, severity, *args)[0] == code


def test_old_warn_spelling_is_read_with_a_deprecation_note(built: Path) -> None:
    code, out, err = lint(built, "WARN", "--fail-on", "warn", "--format", "tsv")
    assert code == 1, err
    assert "WARNING\tcheck-states\t" in out
    assert "azgraph: deprecated: " in err
    assert "severity 'WARN' is deprecated; write 'warning'" in err
    assert "--fail-on: severity 'warn' is deprecated; write 'warning'" in err


def test_an_unknown_fail_on_is_a_usage_error(built: Path) -> None:
    code, _, err = validate(built, "info", "--fail-on", "fatal")
    assert code == 2
    assert "'fatal' is not one of error, warning, info, none." in err


def test_a_shacl_severity_has_its_word_and_a_custom_one_ranks_as_an_error() -> None:
    shacl = "http://www.w3.org/ns/shacl#"
    assert [from_shacl(shacl + n) for n in ("Violation", "Warning", "Info")] == list(SEVERITIES)
    assert from_shacl(None) == "error"
    custom = from_shacl("http://example.org/ns#Blocker")
    assert custom == "blocker"
    report = Report(conforms=True, results=[Result(custom, URIRef("urn:x"), "m")])
    assert report.errors and report.fails("error") and not report.fails(None)
    assert report.counts() == {"error": 0, "warning": 0, "info": 0, "blocker": 1}


def test_every_registered_check_has_an_id_severity_title_and_what_it_runs() -> None:
    project = Project.at(REPO)
    checks = validate_checks(project) + lint_checks(project)
    assert len(checks) == len(validate_checks(project)) + len(check_folder(REPO / "lint")) + len(
        BUILT_IN
    )
    ids = [c.id for c in checks]
    assert len(ids) == len(set(ids)), "two checks share an id"
    for check in checks:
        assert check.severity in SEVERITIES and check.title and check.description and check.runs
        assert (check.query is None) != (check.function is None)
    assert {c.id for c in BUILT_IN} <= set(ids)
