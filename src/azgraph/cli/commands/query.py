"""`azgraph query list` and `azgraph query run`: the bundled questions, .rq files and -e TEXT,
on the local graph or an --endpoint (the library: queries.py, queryrun.py, endpoint.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from azgraph.cli.options import project_option
from azgraph.query.runoptions import (
    DEFAULT_FORMAT,
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT,
    FLAGS,
    FORMATS,
    MIN_LIMIT,
    MIN_TIMEOUT,
)

if TYPE_CHECKING:
    from azgraph.project import Project


def register(group: click.Group) -> None:
    group.add_command(query)


@click.group()
def query() -> None:
    """List and run SPARQL queries: bundled ones by name, your own .rq files, or -e TEXT.

    \b
    Example:
        azgraph query list
        azgraph query run pipelines
        azgraph query run facts-about --param entity=state:azerbaijan --format csv
        azgraph query run my-question.rq
        azgraph query run -e 'SELECT ?s WHERE { ?s a az:Pipeline } ORDER BY ?s'
    """


@query.command("list")
@project_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def query_list(project: Project, fmt: str) -> None:
    """List the bundled queries: name, kind, title and parameters."""
    import json

    from azgraph.query.queries import load_queries
    from azgraph.query.render import table

    queries = load_queries(project.queries_dir)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "kind": q.kind,
                        "title": q.title,
                        "description": q.description,
                        "params": {
                            p.name: {
                                "type": p.type,
                                "description": p.description,
                                "default": p.default,
                            }
                            for p in q.params.values()
                        },
                    }
                    for q in queries.values()
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    rows = [
        [
            q.name,
            q.kind,
            q.title,
            " ".join(f"{p.name}={p.default or '?'}" for p in q.params.values()),
        ]
        for q in queries.values()
    ]
    click.echo(table(("name", "kind", "title", "params"), rows, max_width=70), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="--param")
        params[key] = value
    return params


@query.command("run")
@project_option
@click.argument("name", required=False)
@click.option(*FLAGS["expression"], help="Run this SPARQL text instead of a named query.")
@click.option(
    *FLAGS["param"],
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable). Values are bound as RDF terms.",
)
@click.option(
    *FLAGS["format"],
    "fmt",
    type=click.Choice(FORMATS),
    default=DEFAULT_FORMAT,
    show_default=True,
    help="Output format (CONSTRUCT prints Turtle).",
)
@click.option(
    *FLAGS["limit"],
    type=click.IntRange(min=MIN_LIMIT),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Print at most this many rows.",
)
@click.option(
    *FLAGS["endpoint"],
    metavar="URL",
    default=None,
    help="Run on this SPARQL 1.1 query URL instead of the local graph. Credentials come from "
    "AZGRAPH_ENDPOINT_USER/AZGRAPH_ENDPOINT_PASSWORD or ~/.netrc, never from the URL.",
)
@click.option(
    *FLAGS["timeout"],
    type=click.FloatRange(min=MIN_TIMEOUT),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Give up after this many seconds: on the local graph exit 6, with --endpoint exit 4.",
)
def query_run(
    project: Project,
    name: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    limit: int,
    endpoint: str | None,
    timeout: float,
) -> None:
    """Run NAME (a bundled query), a .rq FILE, or -e TEXT on the local graph or an --endpoint.

    Project prefixes (az:, state:, person:, ...) are predeclared. SERVICE, FROM and updates are
    refused (exit 6), and so is a query past the size or nesting limits (100,000 characters,
    brackets 64 deep, about 500 triple patterns). A failing endpoint exits 4.

    \b
    Example:
        azgraph query run agreements
        azgraph query run facts-about -p entity=pipeline:baku-tbilisi-ceyhan-pipeline
        azgraph query run pipelines --endpoint http://127.0.0.1:7878/query
    """
    from azgraph.query.queries import bind_params, find_query, parse_query_text
    from azgraph.query.render import render_result

    if (name is None) == (expression is None):
        raise click.UsageError("give a query NAME or FILE, or -e TEXT (not both)")
    q = (
        parse_query_text(expression, name="-e")
        if expression is not None
        else find_query(project.queries_dir, name or "")
    )
    given = _parse_params(params)
    if endpoint is not None:
        bindings = bind_params(q, given)
        from azgraph.query.endpoint import run_remote

        result = run_remote(endpoint, q, bindings, timeout=timeout, limit=limit)
        click.echo(render_result(result, fmt), nl=False)
        return
    from azgraph.query.queryrun import answer_locally

    text = answer_locally(project, q, given, fmt=fmt, limit=limit, timeout=timeout)
    click.echo(text, nl=False)
