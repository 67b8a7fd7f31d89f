"""Hostile input through every reader, as a user meets it on the CLI (#16).

Each case must end in one line naming the file (and line, where there is one), a documented
exit code, and no traceback; none may hang or grow without bound.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from azgraph.cli import cli
from tests.conftest import REPO

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
