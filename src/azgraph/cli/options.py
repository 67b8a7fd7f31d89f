"""Options that several commands share, defined once so that they are spelled the same everywhere
(sqlite-utils' habit). The command modules (cli.py, commands/) import them from here.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from azgraph.project import Project
from azgraph.severity import SEVERITIES, SeverityDeprecation, read

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


def _fail_on(_ctx: click.Context, _param: click.Parameter, value: str) -> str | None:
    if value.strip().lower() == "none":
        return None
    severity = read(value, where="--fail-on")
    if severity is None:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(SEVERITIES)}, none.")
    return severity


def fail_on_option(func: F) -> F:
    """``--fail-on SEVERITY``: the least severe result that makes a check command exit 1,
    spelled the same in `validate` and `lint` (ROBOT report's ``--fail-on``)."""
    return click.option(
        "--fail-on",
        "fail_on",
        metavar="[" + "|".join((*SEVERITIES, "none")) + "]",
        default="error",
        show_default=True,
        callback=_fail_on,
        help="Exit 1 when a result is at least this severe (none: only on failure to run).",
    )(func)


@contextmanager
def deprecation_notes() -> Iterator[None]:
    """Show each old spelling azgraph still reads (severity.py) as one line on stderr,
    ``azgraph: deprecated: ...``, instead of Python's two-line warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("default", SeverityDeprecation)
        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *rest: Any, **kw: Any) -> None:
            if issubclass(category, SeverityDeprecation):
                click.echo(f"azgraph: deprecated: {message}", err=True)
            else:
                shown(message, category, *rest, **kw)

        warnings.showwarning = show
        yield
