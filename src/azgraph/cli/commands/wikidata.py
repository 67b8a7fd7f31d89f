"""``azgraph wikidata``: the graph's links to Wikidata, and its facts compared with Wikidata's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click


def _project(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Any:
    from azgraph.project import Project

    return Project.at(value) if value is not None else Project.discover()


_project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    callback=_project,
    help="The azgraph project folder.  [default: the nearest one above the current folder]",
)


@click.group()
def wikidata() -> None:
    """Wikidata identifiers (mappings/wikidata.yaml) and a claims-versus-Wikidata report.

    \b
    Example:
        azgraph wikidata links
        azgraph wikidata check
        azgraph wikidata check --endpoint http://127.0.0.1:7878/query --format json
    """


@wikidata.command("links")
@_project_option
def links_command(project: Any) -> None:
    """List the entities linked to Wikidata, and those of linked kinds still without a QID.

    Works offline: it reads mappings/wikidata.yaml and curated/*.yaml.

    \b
    Example:
        azgraph wikidata links
    """
    from azgraph.build.mappings import LINKED_KINDS, load_links, wikidata_file
    from azgraph.build.seeds import load_seeds

    links = {link.entity: link for link in load_links(wikidata_file(project))}
    declared = _declared(project, load_seeds(project.seeds_dir))
    wanted = sorted(e for e in declared if e.split(":")[0] in LINKED_KINDS)
    verified = [e for e in wanted if e in links and links[e].qid]
    for entity in verified:
        link = links[entity]
        click.echo(f"{entity}\t{link.qid}\t{link.label}")
    unverified = [e for e in wanted if e in links and not links[e].qid]
    missing = [e for e in wanted if e not in links]
    for entity in unverified:
        click.echo(f"{entity}\t-\t{links[entity].note}")
    for entity in missing:
        click.echo(f"{entity}\t-\tnot in mappings/wikidata.yaml")
    click.echo(
        f"{len(verified)} linked, {len(unverified)} without a verified QID, "
        f"{len(missing)} not yet in mappings/wikidata.yaml (of {len(wanted)})",
        err=True,
    )


def _declared(project: Any, seeds: Any) -> set[str]:
    from azgraph.build.curated import load_curated

    found: set[str] = set()
    for path in sorted(project.curated_dir.glob("*.yaml")):
        found |= set(load_curated(path, seeds).entities)
    return found


@wikidata.command("check")
@_project_option
@click.option(
    "--endpoint",
    default="https://query.wikidata.org/sparql",
    show_default=True,
    help="The Wikidata SPARQL endpoint (contacted only by this command).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each query's complete answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries, with backoff, when the endpoint answers 429/502/503/504.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "tsv", "json"]),
    default="markdown",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--write-disputes/--no-write-disputes",
    default=False,
    show_default=True,
    help="Add the date and length disagreements to mappings/disputes.yaml for review.",
)
def check_command(
    project: Any, endpoint: str, timeout: float, retries: int, fmt: str, write_disputes: bool
) -> None:
    """Compare the facts we hold about linked entities with Wikidata's statements.

    For each entity with a QID in mappings/wikidata.yaml: its English label, dates (start, end,
    point in time, inception, service entry, office held), length, start and end points,
    signatories and participants. Each fact is reported as agree, disagree, not in Wikidata, or
    not linked (the other entity has no QID), with the article's quote beside Wikidata's value.
    Dates are compared at the coarser of the two precisions. Exit 4 if the endpoint fails.

    \b
    Example:
        azgraph wikidata check > report.md
        azgraph wikidata check --endpoint http://127.0.0.1:7878/query --timeout 10
        azgraph wikidata check --write-disputes && git diff mappings/disputes.yaml
    """
    from azgraph.build.mappings import disputes_file, load_links, wikidata_file
    from azgraph.check.wikidata import check_links, disputes_from, render_check, sparql_runner
    from azgraph.check.wikidata import write_disputes as write
    from azgraph.rdf.store import graph_files, load_oxigraph

    links = load_links(wikidata_file(project))
    store = load_oxigraph(graph_files(project))
    runner = sparql_runner(endpoint, timeout=timeout, retries=retries)
    report = check_links(store, links, runner, endpoint=endpoint)
    click.echo(render_check(report, fmt), nl=False)
    if write_disputes:
        path = disputes_file(project)
        added = write(path, disputes_from(report))
        click.echo(f"{added} new disputes written to {path.relative_to(project.root)}", err=True)


def register(group: click.Group) -> None:
    group.add_command(wikidata)
