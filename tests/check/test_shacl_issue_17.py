"""Regression tests for #17, item 9: the fast SHACL engine against the bugs the W3C suite
found, per-shape fallback with `validate --verbose`, and severities and the exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.check.validate import Report, load_shapes, validate_graph
from azgraph.cli.main import cli
from azgraph.errors import InputError
from azgraph.rdf.store import load_labelled

PREFIXES = """@prefix ex: <http://example.org/ns#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _validate(tmp_path: Path, data: str, shapes: str) -> Report:
    """As `azgraph validate` does: a labelled store of the data file, `load_shapes`."""
    data_file = tmp_path / "data.ttl"
    data_file.write_text(PREFIXES + data, encoding="utf-8")
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "shapes.ttl").write_text(PREFIXES + shapes, encoding="utf-8")
    store, _ = load_labelled([data_file])
    return validate_graph(None, load_shapes(tmp_path / "shapes"), store=store)


def test_issue_17_datatype_int_accepts_an_xsd_int(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        'ex:a ex:n "7"^^xsd:int .',
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
        "sh:property [ sh:path ex:n ; sh:datatype xsd:int ] .",
    )
    assert report.results == []


def test_issue_17_max_count_counts_1_50_and_1_5_as_two_values(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        'ex:a ex:n "1.50"^^xsd:decimal, "1.5"^^xsd:decimal .',
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:maxCount 1 ] .",
    )
    assert [r.component.rsplit("#")[-1] for r in report.results] == ["MaxCountConstraintComponent"]
    assert report.fallbacks == [
        "<http://example.org/ns#S>: values of <http://example.org/ns#n> are literals the store "
        "keeps only in canonical form"
    ]


def test_issue_17_sh_node_detail_results_are_not_top_level(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        "ex:a ex:p ex:b .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; "
        "sh:property [ sh:path ex:p ; sh:node ex:T ] .\n"
        "ex:T a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
    )
    assert [r.component.rsplit("#")[-1] for r in report.results] == ["NodeConstraintComponent"]


def test_issue_17_fallback_is_per_shape(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        "ex:a ex:p ex:b .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .\n"
        "ex:U a sh:NodeShape ; sh:targetNode ex:a ; "
        "sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
    )
    assert report.fallbacks == ["<http://example.org/ns#S>: uses sh:closed"]
    sources = sorted((r.source, r.component.rsplit("#")[-1]) for r in report.results)
    assert sources == [
        ("<http://example.org/ns#S>", "ClosedConstraintComponent"),
        ("<http://example.org/ns#U>", "MinCountConstraintComponent"),
    ]


@pytest.mark.parametrize(
    ("select", "why"),
    [
        (
            "SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = <http://example.org/ns#a>) } } }",
            "sub-select",
        ),
        (
            "SELECT $this WHERE { $this ?p ?o . MINUS { $this <http://example.org/ns#q> ?o } }",
            "uses MINUS",
        ),
        ("SELECT $this WHERE { BIND (<http://example.org/ns#a> AS $this) }", "binds $this with AS"),
    ],
)
def test_issue_17_sparql_constraint_without_pre_binding_is_refused(
    tmp_path: Path, select: str, why: str
) -> None:
    shapes = f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ] .'
    with pytest.raises(InputError) as caught:
        _validate(tmp_path, "ex:a ex:p ex:b .", shapes)
    assert why in str(caught.value) and "\n" not in str(caught.value)


def test_issue_17_sub_select_projecting_this_runs(tmp_path: Path) -> None:
    select = "SELECT $this WHERE { { SELECT $this WHERE { $this <http://example.org/ns#p> ?o } } }"
    report = _validate(
        tmp_path,
        "ex:a ex:p ex:b .",
        f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ] .',
    )
    assert [r.focus.n3() for r in report.results] == ["<http://example.org/ns#a>"]


def test_issue_17_prefixes_reached_through_owl_imports(tmp_path: Path) -> None:
    shapes = (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        'ex:decl sh:declare [ sh:prefix "zz" ; sh:namespace "http://example.org/ns#"^^xsd:anyURI ] .\n'
        "ex:P owl:imports ex:decl .\n"
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:prefixes ex:P ; "
        'sh:select "SELECT $this WHERE { $this zz:p ?o }" ] .'
    )
    report = _validate(tmp_path, "ex:a ex:p ex:b .", shapes)
    assert len(report.results) == 1


def _add_shape(project: Path, text: str) -> None:
    (project / "shapes" / "zz-test.ttl").write_text(PREFIXES + text, encoding="utf-8")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_issue_17_verbose_names_the_shapes_pyshacl_runs(project: Path) -> None:
    assert _run("build", "--project", str(project))[0] == 0
    _add_shape(project, "ex:Z a sh:NodeShape ; sh:targetNode ex:nothing ; sh:closed true .")
    code, out, err = _run("validate", "--verbose", "--project", str(project))
    assert code == 0, out
    assert err == (
        "azgraph: run by pySHACL, not the fast engine: <http://example.org/ns#Z>: uses sh:closed\n"
    )
    code, _, err = _run("validate", "--project", str(project))
    assert code == 0 and err == ""


@pytest.mark.parametrize(("severity", "code"), [("Warning", 0), ("Info", 0), ("Violation", 1)])
def test_issue_17_only_violations_exit_1(project: Path, severity: str, code: int) -> None:
    assert _run("build", "--project", str(project))[0] == 0
    _add_shape(
        project,
        "@prefix az: <https://w3id.org/azgraph/ontology#> .\n"
        "ex:Z a sh:NodeShape ; sh:targetClass az:State ; "
        f"sh:property [ sh:path ex:neverThere ; sh:minCount 1 ; sh:severity sh:{severity} ] .",
    )
    got, out, _ = _run("validate", "--project", str(project))
    assert got == code, out
    word = {"Warning": "WARNING", "Info": "INFO", "Violation": "ERROR"}[severity]
    assert f"{word} ex:neverThere" not in out  # minCount reports no value
    assert f"  {word}" in out
    verdict = "Does not conform" if code else "Conforms (with warnings)"
    assert verdict in out


def test_issue_17_deactivated_1_does_not_deactivate(tmp_path: Path) -> None:
    report = _validate(
        tmp_path,
        "ex:a ex:p ex:b .",
        'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:deactivated "1"^^xsd:boolean ; '
        "sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
    )
    assert len(report.results) == 1
