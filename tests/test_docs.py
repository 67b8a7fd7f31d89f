"""Docs stay honest: every command is documented, and the quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from azgraph.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += all_commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_and_appears_in_the_readme(
    name: str, command: click.Command
) -> None:
    assert command.help and command.help.strip()
    assert f"azgraph {name}" in README


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_makefile_defines_the_quick_start_targets() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}: ", makefile, re.M)


def test_every_ontology_term_the_docs_name_exists() -> None:
    ontology = (REPO / "ontology" / "azgraph.ttl").read_text(encoding="utf-8")
    for doc in (REPO / "docs").glob("*.md"):
        for term in set(re.findall(r"`az:([A-Za-z]+)`", doc.read_text(encoding="utf-8"))):
            assert f"az:{term}\n" in ontology, f"{doc.name} names az:{term}, which is not declared"
