"""azgraph lint warns about shapes that pySHACL would silently accept."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from azgraph.cli.main import cli

REPO = Path(__file__).resolve().parents[2]


def test_misspelt_term_and_shape_without_targets_are_warnings(project: Path) -> None:
    import shutil

    shutil.copytree(REPO / "lint", project / "lint")
    (project / "shapes" / "zz-sloppy.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix az: <https://w3id.org/azgraph/ontology#> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:TypoShape a sh:NodeShape ; sh:targetClass az:State ;\n"
        "    sh:property [ sh:path az:inception ; sh:maxCout 1 ] .\n"
        "ex:NobodyShape a sh:NodeShape ; sh:targetClass ex:Unicorn ;\n"
        "    sh:property [ sh:path ex:horn ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--project", str(project)]).exit_code == 0
    result = runner.invoke(cli, ["lint", "--format", "tsv", "--project", str(project)])
    assert result.exit_code == 0, result.output  # warnings do not fail the run
    rows = {tuple(line.split("\t")[:3]) for line in result.output.splitlines()[1:]}
    assert ("WARNING", "shape-unknown-term", "sh:maxCout") in rows
    assert ("WARNING", "shape-targets-nothing", "http://example.org/NobodyShape") in rows
    assert not any(r[1] == "shape-targets-nothing" and "TypoShape" in r[2] for r in rows)
