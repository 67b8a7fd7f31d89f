"""The command-line interface: a thin layer of option parsing and rendering over the library.

No RDF logic lives here. Every `AzgraphError` is turned into one line on stderr and its exit code
by `main()`; tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import AzgraphError, ExitCode
from .project import Project

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  the data has problems (SHACL violations, check-query rows, stale files)
  2  usage error (unknown option, missing argument)
  3  an input cannot be read, parsed or compiled (YAML, Turtle, SPARQL, seeds)
  4  a remote SPARQL endpoint failed
  5  an output file could not be written
  6  refused by policy (SERVICE, FROM, LOAD or updates in a query)
"""


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


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="azgraph")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build, check and query the azgraph knowledge graph of Turkish-Azerbaijani relations.

    \b
    Typical session:
        azgraph build            # curated/*.yaml -> data/*.ttl
        azgraph validate         # SHACL shapes + check queries
        azgraph query list       # the bundled questions
        azgraph query run pipelines
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@project_option
@click.argument("seed")
@click.argument("quote")
def locate(project: Project, seed: str, quote: str) -> None:
    """Find QUOTE in seed SEED and print its evidence fields for curated/*.yaml.

    Whitespace runs (line breaks, no-break spaces) match one space; everything else must match
    exactly. When the quote is not found, the nearest passage is shown.

    \b
    Example:
        azgraph locate cemeri-2022 "It has a capacity of 1 million barrels per day"
    """
    from .curated import evidence_snippet
    from .seeds import load_seeds

    seeds = load_seeds(project.seeds_dir)
    click.echo(evidence_snippet(seeds, seed, quote), nl=False)


def main() -> None:
    """Entry point: run the CLI and map library errors to one line and an exit code."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AzgraphError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(int(ExitCode.OK))
