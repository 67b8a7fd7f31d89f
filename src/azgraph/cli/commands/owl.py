"""Commands for ontology engineers: `check-owl`, `reason`, `export protege`, `lint`, `docs`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from azgraph.cli.options import fail_on_option

if TYPE_CHECKING:
    from azgraph.project import Project


def register(group: click.Group) -> None:
    from azgraph.cli.options import project_option

    for command in (check_owl, reason, lint, docs):
        group.add_command(project_option(command))
    export = group.commands.get("export")
    if not isinstance(export, click.Group):
        export = export_group
        group.add_command(export)
    export.add_command(project_option(protege))


@click.command("check-owl")
@click.option(
    "--bundle",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check an exported Protégé bundle instead of the project's ontology and data.",
)
@click.option(
    "--max-shown",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Print at most this many problems (all are counted).",
)
@click.pass_context
def check_owl(ctx: click.Context, project: Project, bundle: Path | None, max_shown: int) -> None:
    """Check that the ontology plus data is OWL 2 DL, with the OWL API (as Protégé loads it).

    Writes the Protégé bundle to a temporary folder (or takes --bundle DIR), loads
    azgraph-all.owl with its catalog (imports are never fetched) and runs the OWL API's OWL 2
    DL profile check on the imports closure. Undeclared terms, illegal punning, datatypes
    outside the OWL 2 datatype map (xsd:date, xsd:gYear), missing imports and RDF the OWL API
    cannot read are all problems. Needs Java and the OWL API (Debian: default-jdk-headless
    libowlapi-java); the checker is compiled once into ~/.cache/azgraph/owlcheck.

    \b
    Example:
        azgraph check-owl
        azgraph check-owl --bundle dist/protege
    """
    from azgraph.errors import ExitCode
    from azgraph.owl.owlcheck import check_bundle, check_owl
    from azgraph.rdf.store import graph_files

    if bundle is not None:
        report = check_bundle(bundle)
    else:
        files = graph_files(project)
        report = check_owl(files[0], files[1:])
    for iri in sorted(report.ontologies):
        click.echo(f"loaded {iri}")
    for problem in report.problems[:max_shown]:
        click.echo(f"{problem.kind} {problem.type}: {problem.message[:400]}")
    if len(report.problems) > max_shown:
        click.echo(f"... and {len(report.problems) - max_shown} more")
    stats = report.stats
    click.echo(
        f"{len(report.violations)} OWL 2 DL violations, {len(report.problems)} problems; "
        f"{stats.get('axioms', 0)} axioms ({stats.get('logical', 0)} logical), "
        f"{stats.get('individuals', 0)} individuals, {stats.get('annotated', 0)} annotated "
        f"axioms ({stats.get('quoted', 0)} with az:quote)"
    )
    ctx.exit(0 if report.ok else ExitCode.DATA_PROBLEM)


@click.command()
@click.option(
    "--reasoner",
    type=click.Choice(["hermit", "pellet", "both"]),
    default="both",
    show_default=True,
    help="Which reasoner to run.",
)
@click.option(
    "--bundle",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Reason on an exported Protégé bundle instead of exporting one to a temporary folder.",
)
@click.pass_context
def reason(ctx: click.Context, project: Project, reasoner: str, bundle: Path | None) -> None:
    """Run HermiT and/or Pellet on the Protégé bundle: consistency, unsatisfiable classes.

    Reasons on exactly the files 'azgraph export protege' writes (azgraph-all.owl, the
    ontology and the data, imports resolved through catalog-v001.xml and never fetched): the
    bundle in --bundle DIR, or one exported to a temporary folder. Uses the reasoners bundled
    with owlready2 (Java 17 is enough). Exit 1 when the graph is inconsistent or a class is
    unsatisfiable (for example an individual typed both az:State and az:Person, which the
    ontology declares disjoint).

    \b
    Example:
        azgraph reason
        azgraph reason --reasoner hermit
        azgraph export protege dist/protege && azgraph reason --bundle dist/protege
    """
    from azgraph.errors import ExitCode
    from azgraph.owl.reason import REASONERS, reason_bundle
    from azgraph.owl.reason import reason as run_reasoners
    from azgraph.rdf.store import graph_files

    names = REASONERS if reasoner == "both" else (reasoner,)
    if bundle is not None:
        results = reason_bundle(bundle, names)
    else:
        results = run_reasoners(graph_files(project), names)
    for result in results:
        if not result.consistent:
            click.echo(f"{result.reasoner}: INCONSISTENT: {result.explanation}")
        elif result.unsatisfiable:
            click.echo(f"{result.reasoner}: consistent, unsatisfiable classes:")
            for iri in result.unsatisfiable:
                click.echo(f"  {iri}")
        else:
            click.echo(f"{result.reasoner}: consistent, no unsatisfiable classes")
    ctx.exit(0 if all(r.ok for r in results) else ExitCode.DATA_PROBLEM)


@click.group("export")
def export_group() -> None:
    """Export the graph for other tools.

    \b
    Example:
        azgraph export protege dist/protege
    """


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def protege(project: Project, folder: Path) -> None:
    """Write a Protégé bundle to FOLDER: open FOLDER/azgraph-all.owl in Protégé.

    Files: ontology.owl and data.owl (RDF/XML; data.owl imports the ontology), azgraph-all.owl
    (imports both) and catalog-v001.xml (maps each import IRI to the file beside it, so Protégé
    resolves the imports offline). The evidence of each fact is an annotation on its assertion:
    az:quote, dcterms:source, az:evidence. Files are written atomically; a rerun with the same
    input rewrites nothing.

    \b
    Example:
        azgraph export protege dist/protege
        protege dist/protege/azgraph-all.owl
    """
    from azgraph.owl.protege import write_bundle
    from azgraph.rdf.store import graph_files

    files = graph_files(project)
    bundle = write_bundle(files[0], files[1:], folder)
    for path in bundle.files:
        state = "wrote" if path in bundle.written else "unchanged"
        click.echo(f"{state} {path}")
    click.echo(f"{bundle.triples} triples; open {bundle.all_file} in Protégé")


@click.command()
@click.option(
    "--checks",
    "checks_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of check .rq files.  [default: the project's lint/]",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "tsv"]),
    default="text",
    show_default=True,
    help="text: grouped by severity; json: as `azgraph validate --format json`; tsv: one row "
    "per finding.",
)
@click.option(
    "--max-shown",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="In text output, rows shown per check (all are counted).",
)
@fail_on_option
@click.pass_context
def lint(
    ctx: click.Context,
    project: Project,
    checks_dir: Path | None,
    fmt: str,
    max_shown: int,
    fail_on: str | None,
) -> None:
    """Quality report on the ontology and data (in the spirit of ROBOT report).

    Runs every lint/*.rq check (SPARQL returning ?focus ?message [?value]; no rows when all is
    well) on the ontology plus data/*.ttl and prints the findings grouped by severity: ERROR,
    WARNING, INFO (the words of `azgraph validate`). It also warns about look-alike labels and
    about shapes that pySHACL would accept silently: unknown sh: terms and shapes whose targets
    match nothing. Add your own check by dropping a .rq file with a '#+' header (kind: check,
    severity: error|warning|info) into lint/. Exit 1 when a finding is as severe as --fail-on
    (an ERROR, by default).

    \b
    Example:
        azgraph lint
        azgraph lint --format tsv > report.tsv
        azgraph lint --fail-on warning
    """
    from azgraph.check.lint import run_lint
    from azgraph.check.render import render_lint
    from azgraph.errors import ExitCode

    report = run_lint(project, checks_dir=checks_dir)
    click.echo(render_lint(report, fmt=fmt, max_shown=max_shown), nl=False)
    ctx.exit(ExitCode.DATA_PROBLEM if report.fails(fail_on) else 0)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def docs(project: Project, folder: Path) -> None:
    """Write HTML documentation of the ontology to FOLDER/index.html, offline, with pyLODE.

    Lists the classes and properties of the ontology with their labels, definitions, domains
    and ranges, and the named individuals of data/*.ttl by class. No network is used.

    \b
    Example:
        azgraph docs dist/docs
        xdg-open dist/docs/index.html
    """
    from azgraph.owl.ontodocs import write_docs

    path = write_docs(project.ontology_file, folder, project.data_files())
    click.echo(f"wrote {path}")
