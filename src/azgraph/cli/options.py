"""Options that several commands share, defined once so that they are spelled the same everywhere
(sqlite-utils' habit). The command modules (cli.py, commands/) import them from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from azgraph.project import Project

F = TypeVar("F", bound=Callable[..., Any])


def _project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Project:
    return Project.at(value) if value is not None else Project.discover()


def project_option(func: F) -> F:
    """``--project DIR``, spelled the same in every command."""
    return click.option(
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=_project,
        expose_value=True,
        help="The azgraph project folder.  [default: the nearest one above the current folder]",
    )(func)
