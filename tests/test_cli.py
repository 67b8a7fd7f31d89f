"""The CLI as a user meets it: output, exit codes and one-line errors (click's CliRunner)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def built(project: Path) -> Path:
    code, out, err = run("build", "--project", str(project))
    assert code == 0, err
    return project


def test_build_reports_what_it_wrote_then_nothing_on_rebuild(project: Path) -> None:
    code, out, _ = run("build", "--project", str(project))
    assert code == 0
    assert "wrote data/cemeri-2022.ttl" in out
    code, out, _ = run("build", "--project", str(project))
    assert code == 0 and "0 written, 2 unchanged" in out


def test_build_check_exits_1_when_stale(built: Path) -> None:
    (built / "data" / "cemeri-2022.ttl").write_text("# edited by hand\n", encoding="utf-8")
    code, _, err = run("build", "--check", "--project", str(built))
    assert code == 1
    assert "generated files are stale: data/cemeri-2022.ttl" in err


def test_bad_yaml_is_one_line_with_file_and_line_and_exit_3(built: Path) -> None:
    path = built / "curated" / "cemeri-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("p: lengthKm", "p: lenghtKm"), "utf-8")
    code, out, err = run("build", "--project", str(built))
    assert code == 3
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {path}:")
    assert "unknown property 'lenghtKm'. Did you mean lengthKm?" in err


def test_validate_conforming_fixture_exits_0(built: Path) -> None:
    code, out, _ = run("validate", "--project", str(built))
    assert code == 0, out
    assert out.startswith("Conforms")


def test_validate_groups_problems_by_entity_and_exits_1(built: Path) -> None:
    data = built / "data" / "cemeri-2022.ttl"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("\taz:lengthKm 1768.0 ;\n", "\taz:lengthKm -5.0 ;\n"), "utf-8")
    code, out, _ = run("validate", "--project", str(built))
    assert code == 1
    assert "pipeline:baku-tbilisi-ceyhan  (Baku–Tbilisi–Ceyhan pipeline)" in out
    assert re.search(r"ERROR az:lengthKm = -5(\.0)?: Value is not > ", out)
    assert "Does not conform" in out


def test_validate_json_report(built: Path) -> None:
    code, out, _ = run("validate", "--format", "json", "--project", str(built))
    assert code == 0
    assert json.loads(out) == {"conforms": True, "results": []}


def test_query_run_table_csv_and_json(built: Path) -> None:
    code, out, _ = run("query", "run", "pipelines", "--project", str(built))
    assert code == 0 and "1768" in out and "(1 row)" in out
    code, out, _ = run("query", "run", "pipelines", "-f", "csv", "--project", str(built))
    assert out.splitlines()[0].startswith("pipeline,name,startsAt")
    code, out, _ = run("query", "run", "pipelines", "-f", "json", "--project", str(built))
    doc = json.loads(out)
    assert doc["results"]["bindings"][0]["lengthKm"]["value"] == "1768"


def test_query_with_parameter(built: Path) -> None:
    code, out, _ = run(
        "query",
        "run",
        "facts-about",
        "-p",
        "entity=place:ceyhan",
        "-f",
        "csv",
        "--project",
        str(built),
    )
    assert code == 0
    assert "With an extension of 1,768 kilometers" in out


def test_expression_with_predeclared_prefixes(built: Path) -> None:
    code, out, _ = run(
        "query",
        "run",
        "-e",
        "SELECT ?c WHERE { ?c a az:Conflict } ORDER BY ?c",
        "--project",
        str(built),
    )
    assert code == 0 and "conflict:second-nagorno-karabakh-war" in out


def test_service_is_refused_with_exit_6(built: Path) -> None:
    code, _, err = run(
        "query",
        "run",
        "-e",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "--project",
        str(built),
    )
    assert code == 6 and "SERVICE is refused" in err


def test_unknown_query_exit_3_with_suggestion(built: Path) -> None:
    code, _, err = run("query", "run", "pipelinez", "--project", str(built))
    assert code == 3 and "Did you mean pipelines" in err


def test_name_and_expression_together_is_a_usage_error(built: Path) -> None:
    code, _, err = run("query", "run", "pipelines", "-e", "ASK {}", "--project", str(built))
    assert code == 2


def test_query_list_shows_names_kinds_titles(built: Path) -> None:
    code, out, _ = run("query", "list", "--project", str(built))
    assert code == 0
    assert "facts-about" in out and "entity=state:azerbaijan" in out


def test_locate_prints_evidence_fields(built: Path) -> None:
    code, out, _ = run(
        "locate",
        "cemeri-2022",
        "It has a capacity of 1 million barrels per day",
        "--project",
        str(built),
    )
    assert code == 0
    assert out == (
        'quote: "It has a capacity of 1 million barrels per day"\n'
        "line: 60\nstart: 8951\nend: 8997\n"
    )


def test_no_project_found_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("build")
    assert code == 3 and "no azgraph project at or above" in err


def test_query_before_build_says_to_build(project: Path) -> None:
    code, _, err = run("query", "run", "pipelines", "--project", str(project))
    assert code == 3 and "Run 'azgraph build' first" in err


def test_a_pathological_local_query_stops_at_the_timeout_with_exit_6(built: Path) -> None:
    cross_join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    code, out, err = run(
        "query", "run", "-e", cross_join, "--timeout", "0.5", "--project", str(built)
    )
    assert code == 6
    assert "query stopped after 0.5 s (--timeout)" in err
    assert out == ""
