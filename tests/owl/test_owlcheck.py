"""The OWL API's OWL 2 DL profile check, run on the real graph and on broken fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.errors import InputError
from azgraph.owl.owlcheck import check_owl, run_dlcheck
from azgraph.project import Project
from azgraph.rdf.store import graph_files

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "owl"


def test_real_graph_has_no_owl2_dl_violations() -> None:
    files = graph_files(Project.at(REPO))
    report = check_owl(files[0], files[1:])
    assert report.problems == ()
    assert set(report.ontologies) == {
        "https://w3id.org/azgraph/all",
        "https://w3id.org/azgraph/data",
        "https://w3id.org/azgraph/ontology",
    }
    assert report.stats["individuals"] > 0
    assert report.stats["quoted"] > 0


def test_valid_fixture_passes() -> None:
    assert check_owl(ONTOLOGY, [FIXTURES / "valid.ttl"]).ok


@pytest.mark.parametrize(
    ("fixture", "violation"),
    [
        ("xsd-date.ttl", "UseOfUndeclaredDatatype"),
        ("undeclared-annotation.ttl", "UseOfUndeclaredAnnotationProperty"),
        ("punned-property.ttl", "IllegalPunning"),
    ],
)
def test_broken_fixture_is_reported(fixture: str, violation: str) -> None:
    report = check_owl(ONTOLOGY, [FIXTURES / fixture])
    assert not report.ok
    assert violation in {p.type for p in report.violations}


def test_check_owl_command_exits_1_and_names_the_violation(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "ontology").mkdir(parents=True)
    (root / "curated").mkdir()
    (root / "data").mkdir()
    (root / "ontology" / "azgraph.ttl").write_bytes(ONTOLOGY.read_bytes())
    (root / "data" / "bad.ttl").write_bytes((FIXTURES / "xsd-date.ttl").read_bytes())
    result = CliRunner().invoke(cli, ["check-owl", "--project", str(root)])
    assert result.exit_code == 1, result.output
    assert "UseOfUndeclaredDatatype" in result.output
    assert "OWL 2 DL violations" in result.output


def test_the_owl_api_turtle_parser_alone_reads_the_ontology_as_every_parser_does() -> None:
    strict = run_dlcheck([ONTOLOGY], turtle=True)
    assert strict.problems == ()
    assert set(strict.ontologies) == {"https://w3id.org/azgraph/ontology"}
    assert strict.stats == run_dlcheck([ONTOLOGY]).stats


def test_the_owl_api_turtle_parser_rejects_sparql_style_prefixes(tmp_path: Path) -> None:
    sparql_style = tmp_path / "azgraph.ttl"
    sparql_style.write_text(
        re.sub(r"^@prefix (\S+) (<[^>]*>) \.$", r"PREFIX \1 \2", ONTOLOGY.read_text(), flags=re.M)
    )
    assert run_dlcheck([sparql_style]).problems == ()  # a fallback parser reads it
    with pytest.raises(InputError, match="TurtleOntologyParser"):
        run_dlcheck([sparql_style], turtle=True)
