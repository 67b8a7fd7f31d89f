"""The command-line interface: a thin layer of option parsing and rendering over the library.

No RDF logic lives here. Every `AzgraphError` is turned into one line on stderr and its exit code
by `main()`; tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from azgraph.cli.options import deprecation_notes, fail_on_option, project_option
from azgraph.errors import AzgraphError, ExitCode
from azgraph.project import Project

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  the data has problems (a check result of severity error, or as severe as
     --fail-on; stale files)
  2  usage error (unknown option, missing argument)
  3  an input cannot be read, parsed or compiled (YAML, Turtle, SPARQL, seeds)
  4  a remote SPARQL endpoint failed
  5  an output file could not be written
  6  refused by policy (SERVICE, FROM, LOAD or updates in a query; SHACL
     features azgraph does not run), or stopped at a limit (query --timeout,
     size, nesting and pattern caps)
"""


def _show_version(ctx: click.Context, value: bool) -> None:
    """``--version``, reading the version only when asked (importlib.metadata is slow)."""
    if value and not ctx.resilient_parsing:
        from azgraph import __version__

        click.echo(f"azgraph, version {__version__}")
        ctx.exit()


class CliError(click.ClickException):
    """An `AzgraphError` on its way out through click: one line on stderr, its exit code."""

    def __init__(self, error: AzgraphError) -> None:
        super().__init__(str(error))
        self.exit_code: int = int(error.exit_code)  # type: ignore[misc]  # click declares a ClassVar

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class AzgraphGroup(click.Group):
    """A group that turns library errors into clean one-line messages (tracebacks with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with deprecation_notes():
                return super().invoke(ctx)
        except AzgraphError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            raise CliError(exc) from exc
        except KeyboardInterrupt:
            click.echo("Interrupted; files being written were left as they were.", err=True)
            ctx.exit(130)


@click.group(
    cls=AzgraphGroup,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)
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
    from azgraph.build.curated import evidence_snippet
    from azgraph.build.seeds import load_seeds

    seeds = load_seeds(project.seeds_dir)
    click.echo(evidence_snippet(seeds, seed, quote), nl=False)


@cli.command()
@project_option
@click.option(
    "--check/--no-check",
    default=False,
    show_default=True,
    help="Write nothing; exit 1 if data/*.ttl differs from what a build would write.",
)
@click.option(
    "--cache/--no-cache",
    default=True,
    show_default=True,
    help="Reuse the compile of seeds whose inputs are unchanged since an earlier build "
    "(same bytes as a full build; AZGRAPH_CACHE=off also turns it off).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that parse and compile seeds in parallel [default: $AZGRAPH_JOBS, else "
    "one per CPU]. The output is the same for any number; 1 works in this process.",
)
@click.option(
    "--verbose/--no-verbose",
    default=False,
    show_default=True,
    help="When values or entity objects are not in their quotes, list every one (the error "
    "line names the first and counts the others).",
)
def build(project: Project, check: bool, cache: bool, jobs: int | None, verbose: bool) -> None:
    """Compile curated/*.yaml into data/<seed>.ttl, checking every quote against its seed and
    every value against its quote.

    Output is canonical Turtle: the same inputs give byte-identical files, and an unchanged file
    is not rewritten. Any error (file:line) leaves every existing file as it was.

    \b
    Example:
        azgraph build
        azgraph build --check     # in CI: fail when the committed data is stale
        azgraph build --no-cache  # compile every seed, even unchanged ones
        azgraph build -j 1        # one process (a large corpus builds faster with more)
    """
    from azgraph.build.compile import build_graphs
    from azgraph.build.verify import ValueCheckError
    from azgraph.progress import Progress

    files = len(list(project.curated_dir.glob("*.yaml")))
    seeds = len(list(project.seeds_dir.glob("*.yaml")))
    steps = files + seeds + (0 if check else seeds + 1)
    try:
        with Progress("building", steps) as progress:
            result = build_graphs(
                project, check=check, progress=progress.advance, use_cache=cache, jobs=jobs
            )
    except ValueCheckError as exc:
        if not verbose:
            raise
        for problem in exc.problems[:-1]:
            click.echo(str(problem), err=True)
        raise ValueCheckError(exc.problems[-1:]) from None
    triples = sum(len(g) for g in result.graphs.values())
    if check:
        click.echo(f"data/ is up to date ({len(result.unchanged)} files, {triples} triples)")
        click.echo(result.verification.summary())
        return
    for path in result.written:
        click.echo(f"wrote {path.relative_to(project.root)}")
    reused = len(result.graphs) - len(result.compiled)
    click.echo(
        f"{len(result.written)} written, {len(result.unchanged)} unchanged, {triples} triples "
        f"({len(result.compiled)} seeds compiled, {reused} from the build cache)"
    )
    click.echo(result.verification.summary())


@cli.command()
@project_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--checks/--no-checks",
    default=True,
    show_default=True,
    help="Also run the check queries (kind: check) in queries/.",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Keep the graph and the results in the cache, and next time re-check only what the "
    "changed files can affect (same report as a full run; the first run takes longer).",
)
@click.option(
    "--verbose/--no-verbose",
    default=False,
    show_default=True,
    help="Also say on stderr which shapes the fast engine leaves to pySHACL, and why.",
)
@fail_on_option
@click.pass_context
def validate(
    ctx: click.Context,
    project: Project,
    fmt: str,
    checks: bool,
    incremental: bool,
    verbose: bool,
    fail_on: str | None,
) -> None:
    """Check the built graph (data/*.ttl + ontology) against shapes/ and the check queries.

    Problems are grouped by entity with its label and a hint, each with its severity: ERROR
    (sh:Violation), WARNING (sh:Warning) or INFO (sh:Info), the same words as `azgraph lint`.
    Exit 0 when no result is as severe as --fail-on (an error, by default), 1 when one is.

    \b
    Example:
        azgraph validate
        azgraph validate --format json > report.json
        azgraph validate --fail-on warning  # warnings fail the run too
        azgraph validate --incremental   # large corpora: after an edit and a rebuild
        azgraph validate --verbose       # which shapes run on pySHACL, and why
    """
    from azgraph.check.registry import validate_checks
    from azgraph.check.render import render_report
    from azgraph.check.validate import load_shapes, validate_graph
    from azgraph.rdf.store import graph_files, load_labelled

    files = graph_files(project)
    shapes = load_shapes(project.shapes_dir)
    registered = validate_checks(project) if checks else []
    check_queries = [c.query for c in registered if c.query is not None]
    report = None
    if incremental:
        report = _validate_incremental(project, files, shapes, check_queries)
    if report is None:
        # One pyoxigraph store serves every engine path; an rdflib copy is made only if a
        # shape needs pySHACL (validate_graph decides).
        store, _ = load_labelled(files)
        report = validate_graph(None, shapes, checks=check_queries, store=store)
    report.checks = registered
    if verbose:
        for fallback in report.fallbacks:
            click.echo(f"azgraph: run by pySHACL, not the fast engine: {fallback}", err=True)
    click.echo(render_report(report, fmt), nl=False)
    ctx.exit(int(ExitCode.DATA_PROBLEM) if report.fails(fail_on) else 0)


def _validate_incremental(
    project: Project, files: list[Path], shapes: Any, checks: list[Any]
) -> Any:
    """`validate --incremental`: the report, or None where only a full validation can run
    (said on stderr, with why)."""
    from azgraph.cache import cache_dir
    from azgraph.check.incremental import (
        CanonicalLiteralsError,
        make_units,
        state_folder,
        validate_incremental,
    )

    cache = cache_dir()
    if cache is None:
        click.echo("azgraph: the cache is off (AZGRAPH_CACHE=off): validating in full", err=True)
        return None
    units = make_units(shapes, checks)
    if units is None:
        click.echo(
            "azgraph: the shapes need pySHACL, which cannot re-check part of a graph: "
            "validating in full",
            err=True,
        )
        return None
    shape_files = sorted(project.shapes_dir.glob("*.ttl"))
    folder = state_folder(cache, files, shape_files, checks)
    try:
        report, note = validate_incremental(files, project.root, shapes, units, folder)
    except CanonicalLiteralsError as why:
        click.echo(f"azgraph: {why}: validating in full", err=True)
        return None
    click.echo(f"azgraph: {note}", err=True)
    return report


from azgraph.cli.commands import register_all  # noqa: E402  (the group must exist first)

register_all(cli)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="azgraph")
