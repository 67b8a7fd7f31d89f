"""Hostile input through every reader, as a user meets it on the CLI (#16).

Each case must end in one line naming the file (and line, where there is one), a documented
exit code, and no traceback; none may hang or grow without bound.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli.main import cli
from tests.conftest import REPO, make_project

# Nine levels of nested aliases: 342 bytes that expand to 9**9 values if followed.
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_one_line(err: str, path: Path, code: int, expected: int = 3) -> None:
    assert code == expected, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert f"{path}:" in err, err


def test_alias_bomb_in_a_curated_file_is_refused(project: Path) -> None:
    path = project / "curated" / "cemeri-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbomb:\n" + _indent(ALIAS_BOMB), "utf-8")
    code, _, err = run("build", "--project", str(project))
    assert_one_line(err, path, code)
    assert "YAML alias" in err and "not allowed" in err


def test_alias_bomb_in_seed_metadata_is_refused(project: Path) -> None:
    path = project / "seeds" / "cemeri-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "extra:\n" + _indent(ALIAS_BOMB), "utf-8")
    code, _, err = run("build", "--project", str(project))
    assert_one_line(err, path, code)
    assert "YAML alias" in err


def test_alias_bomb_in_the_wikidata_mappings_is_refused(project: Path) -> None:
    shutil.copytree(REPO / "mappings", project / "mappings")
    path = project / "mappings" / "wikidata.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nbomb:\n" + _indent(ALIAS_BOMB), "utf-8")
    code, _, err = run("build", "--project", str(project))
    assert_one_line(err, path, code)
    assert "YAML alias" in err


def test_alias_bomb_in_a_query_header_is_refused(project: Path) -> None:
    path = project / "bomb.rq"
    header = "".join(
        f"#+ {line}\n" for line in ("title: t", "kind: report", *ALIAS_BOMB.splitlines())
    )
    path.write_text(header + "\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n", "utf-8")
    code, _, err = run("query", "run", str(path), "--project", str(project))
    assert_one_line(err, path, code)
    assert "YAML alias" in err


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


def test_deeply_nested_shapes_are_refused_with_their_line(project: Path) -> None:
    path = project / "shapes" / "deep.ttl"
    nested = "[ sh:path az:x ; sh:node " * 100 + "azsh:StateShape" + " ]" * 100
    path.write_text(
        "PREFIX sh: <http://www.w3.org/ns/shacl#>\n"
        "PREFIX az: <https://w3id.org/azgraph/ontology#>\n"
        "PREFIX azsh: <https://w3id.org/azgraph/shapes#>\n"
        f"azsh:Deep a sh:NodeShape ;\n  sh:property {nested} .\n",
        "utf-8",
    )
    code, _, err = run("build", "--project", str(project))
    assert code == 0, err
    code, _, err = run("validate", "--project", str(project))
    assert_one_line(err, path, code, expected=6)
    assert f"{path}:5: brackets nest deeper than 64 levels" in err


LONG_LIST = "az:Long a owl:Class ; owl:oneOf ( {} ) .\n".format(
    " ".join(f"<https://w3id.org/azgraph/id/x/i{i}>" for i in range(300))
)


@pytest.mark.parametrize(
    "command", [["build"], ["validate"], ["export", "protege", "OUT"], ["release", "OUT"]]
)
def test_every_command_refuses_the_same_overlong_list(project: Path, command: list[str]) -> None:
    # Validate used to accept what release and the Protégé export then crashed on.
    code, _, err = run("build", "--project", str(project))
    assert code == 0, err
    path = project / "ontology" / "azgraph.ttl"
    path.write_text(path.read_text(encoding="utf-8") + LONG_LIST, "utf-8")
    out = project.parent / "out"
    args = [str(out) if part == "OUT" else part for part in command]
    code, _, err = run(*args, "--project", str(project))
    assert_one_line(err, path, code, expected=6)
    assert "blank-node structure (a list or a nested expression) is more than 200 deep" in err
    assert not out.exists()


def _add_entities(project: Path, lines: str) -> None:
    shutil.copytree(REPO / "lint", project / "lint")
    path = project / "curated" / "cemeri-2022.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("entities:\n", "entities:\n" + lines, 1), "utf-8")


def test_nfd_and_nfc_labels_become_one_name_that_lint_reports(project: Path) -> None:
    nfc, nfd = "G\u00fcl Aliyeva", "Gu\u0308l Aliyeva"
    _add_entities(
        project,
        f"  person:gul-a: {{type: Person, label: {nfc}}}\n"
        f"  person:gul-b: {{type: Person, label: {nfd}}}\n",
    )
    code, _, err = run("build", "--project", str(project))
    assert code == 0, err
    data = (project / "data" / "cemeri-2022.ttl").read_text(encoding="utf-8")
    assert nfd not in data and data.count(f'"{nfc}"@en') == 2
    code, out, _ = run("lint", "--project", str(project))
    assert "person:gul-a: shares its label with" in out and "person:gul-b" in out


@pytest.mark.parametrize(
    "other", ["gül aliyeva", "GÜL ALIYEVA", "Gül Alıyeva", "GÜL ALİYEVA"], ids=repr
)
def test_lint_reports_labels_that_differ_only_by_case_or_turkish_i(
    project: Path, other: str
) -> None:
    _add_entities(
        project,
        f"  person:gul-a: {{type: Person, label: Gül Aliyeva}}\n"
        f"  person:gul-b: {{type: Person, label: {other}}}\n",
    )
    assert run("build", "--project", str(project))[0] == 0
    code, out, _ = run("lint", "--project", str(project))
    assert "lookalike-label: Distinct entities whose labels differ only by case" in out
    assert f"person:gul-a: label 'Gül Aliyeva' looks like that of person:gul-b ('{other}')" in out


def test_lint_lists_every_finding_it_counts(project: Path) -> None:
    # Findings of the checks written in Python (shapes, look-alikes) were counted in "WARNING (n)"
    # but never listed.
    _add_entities(project, "")
    assert run("build", "--project", str(project))[0] == 0
    code, out, _ = run("lint", "--project", str(project))
    warn = re.search(r"^WARNING \((\d+)\)$", out, re.M)
    assert warn is not None
    listed = re.findall(r"^  [\w-]+: .* \((\d+)\)$", out.split("INFO (")[0], re.M)
    assert sum(map(int, listed)) == int(warn.group(1)) > 0
    assert "shape-targets-nothing: Shapes whose targets match no node" in out


def test_a_quote_typed_in_nfd_still_matches_its_nfc_seed(tmp_path: Path) -> None:
    project = make_project(tmp_path, None)
    path = project / "curated" / "cemeri-2022.yaml"
    text = path.read_text(encoding="utf-8")
    quote = next(line for line in text.splitlines() if "quote:" in line and "Türkiye" in line)
    path.write_text(text.replace(quote, unicodedata.normalize("NFD", quote)), "utf-8")
    assert unicodedata.normalize("NFD", quote) in path.read_text(encoding="utf-8")
    code, _, err = run("build", "--project", str(project))
    assert code == 0, err
    built = (project / "data" / "cemeri-2022.ttl").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", built)
