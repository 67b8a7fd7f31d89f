"""Hostile input through every reader, as a user meets it on the CLI (#16).

Each case must end in one line naming the file (and line, where there is one), a documented
exit code, and no traceback; none may hang or grow without bound.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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
