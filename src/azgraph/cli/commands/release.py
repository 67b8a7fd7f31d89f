"""Commands for publishing: ``azgraph release DIR`` and ``azgraph diff OLD NEW``."""

from __future__ import annotations

from pathlib import Path

import click

from azgraph.cli.options import project_option
from azgraph.project import Project

FORMATS = ("jsonld", "ntriples", "rdfxml", "turtle")  # tests check this equals release.EXPORTERS


@click.command()
@project_option
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Dump formats to write (repeatable).  [default: all]",
)
@click.option(
    "--site/--no-site",
    default=True,
    show_default=True,
    help="Also write the static linked-data site into FOLDER/site.",
)
def release(project: Project, folder: Path, formats: tuple[str, ...], site: bool) -> None:
    """Write a publishable release into FOLDER: dumps, void.ttl and the static site.

    The ontology, all data merged (data.*) and each data file (data-<seed>.*) in Turtle,
    N-Triples, JSON-LD (with the curated context.jsonld inlined) and RDF/XML; void.ttl (VoID +
    DCAT: counts, class and property partitions, sizes, SHA-256 checksums, licence, version);
    site/ (a page per entity, class and source, a timeline, a relation picture); SHA256SUMS.
    Every file is re-parsed after writing, and the whole release is written beside FOLDER and
    switched in at once, so FOLDER always holds the old release or the new one (even if the
    command is killed); a rebuild from the same data is byte-identical. FOLDER must be empty
    or an earlier release. With --no-site, a site left by an earlier release is removed.

    \b
    Example:
        azgraph release dist/release
        azgraph release dist/dumps --no-site --format turtle
    """
    from azgraph.publish.release import make_release

    result = make_release(project, folder, formats=formats or FORMATS, site=site)
    for path in [f.path for f in result.dumps] + result.other:
        click.echo(f"{path.stat().st_size:>10,}  {path.relative_to(folder).as_posix()}")
    if site:
        click.echo(f"{result.site_files:>10,}  site/ files ({result.site_changed} changed)")
    if result.removed_site:
        click.echo("removed site/: an earlier release's site, not rebuilt with --no-site")
    summary = (
        f"{result.triples} triples; {len(result.changed)} of {len(result.dumps)} dumps changed"
    )
    click.echo(f"{summary}; open {folder / 'site' / 'index.html'}" if site else summary)


@click.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
def diff(old: Path, new: Path) -> None:
    """Release notes in Markdown: facts added, removed and changed from OLD to NEW, by entity.

    OLD and NEW are release folders (their data.ttl is compared) or Turtle files. A fact counts
    as changed when the same subject and property have a different object.

    \b
    Example:
        azgraph diff dist/release-0.1.0 dist/release > CHANGES.md
        azgraph diff old/data.ttl data/cemeri-2022.ttl
    """
    from azgraph.publish.diff import diff_releases, render_markdown

    click.echo(render_markdown(diff_releases(old, new)), nl=False)


def register(group: click.Group) -> None:
    group.add_command(release)
    group.add_command(diff)
