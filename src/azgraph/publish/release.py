"""A publishable release: the ontology and the data in every dump format, and their description.

`EXPORTERS` is a registry with one small class per format (the CLI's ``--format`` choices come
from it). Every dump is made from a *canonical* copy of the graph (blank nodes relabelled by
RDFC-1.0 through pyoxigraph, triples inserted in sorted order), so each format is byte-identical
on rebuild. Every file goes through `turtle.write_atomic` with a strict pyoxigraph re-parse that
must find as many triples as the graph has, before it replaces the previous file.

Why not `turtle.to_turtle` here: every format must share one set of blank-node labels (the
N-Triples and JSON-LD show them), the VoID file needs prefixes beyond the project's, and when this
was written to_turtle's ``canon=True`` took about 90 s per seed file and 8 minutes on the merged
data. RDFC-1.0 in pyoxigraph labels all ~1,000 axiom blank nodes in 0.2 s; the Turtle is still
rdflib's ``longturtle`` with the project prefixes, sorted subjects and predicates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Graph

from azgraph.errors import InputError, OutputError
from azgraph.project import Project
from azgraph.publish.exporters import (
    EXPORTERS,
    Exporter,
    WrittenFile,
    canonical,
    write_rdf,
    write_text,
)
from azgraph.publish.jsonld import CONTEXT
from azgraph.rdf.prefixes import VOID_PREFIXES
from azgraph.rdf.turtle import merge, parse_turtle

RELEASE_MARKER = "void.ttl"


@dataclass
class ReleaseResult:
    """What `make_release` wrote, in order; ``changed`` lists files whose bytes changed."""

    folder: Path
    dumps: list[WrittenFile] = field(default_factory=list)
    other: list[Path] = field(default_factory=list)
    site_files: int = 0
    site_changed: int = 0
    triples: int = 0
    removed_site: bool = False  # a site from an earlier release was left out (--no-site)

    @property
    def changed(self) -> list[Path]:
        return [f.path for f in self.dumps if f.changed]


def check_folder(folder: Path) -> None:
    """Refuse to write a release into a non-empty folder that is not a previous release."""
    if folder.exists() and not folder.is_dir():
        raise OutputError("not a folder", path=folder, hint="Give a folder for the release.")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / RELEASE_MARKER).exists():
        raise OutputError(
            f"folder is not empty and holds no {RELEASE_MARKER}",
            path=folder,
            hint="Give an empty folder, or the folder of an earlier release to update it.",
        )


def load_parts(project: Project) -> tuple[Graph, dict[str, Graph]]:
    """The ontology graph and one graph per data file (keyed by file stem)."""
    files = project.data_files()
    if not files:
        raise InputError(
            "no data files in data/", path=project.data_dir, hint="Run 'azgraph build' first."
        )
    ontology = parse_turtle(project.ontology_file)
    return ontology, {path.stem: parse_turtle(path) for path in files}


def make_release(
    project: Project,
    folder: Path,
    *,
    formats: Iterable[str] = tuple(EXPORTERS),
    site: bool = True,
) -> ReleaseResult:
    """Write the dumps, ``context.jsonld``, ``void.ttl``, ``claimreview.jsonld`` (schema.org
    ClaimReview of every disputed claim), the site and ``SHA256SUMS``.

    All or nothing: the release is written into a sibling folder and switched in at once
    (`folderswap.replace_folder`), so ``folder`` holds the old release or the new one, with a
    matching SHA256SUMS, even if the process is killed. Without the site, a site left by an
    earlier release is not carried over (``removed_site`` says so).
    """
    from azgraph.publish.folderswap import replace_folder

    check_folder(folder)
    exporters = [EXPORTERS[name] for name in sorted(set(formats))]
    ontology, parts = load_parts(project)
    stale_site = not site and (folder / "site").is_dir()
    with replace_folder(folder, keep=lambda rel: site or rel.parts[0] != "site") as work:
        result = _write_release(project, work, exporters, ontology, parts, site=site)
        verify_sums(work)
    result = _moved(result, work, folder)
    result.removed_site = stale_site
    return result


def _write_release(
    project: Project,
    folder: Path,
    exporters: list[Exporter],
    ontology: Graph,
    parts: dict[str, Graph],
    *,
    site: bool,
) -> ReleaseResult:
    from azgraph import __version__
    from azgraph.publish.void import describe

    data = merge(parts.values())
    result = ReleaseResult(folder=folder, triples=len(data))
    graphs: list[tuple[str, str, Graph]] = [
        ("ontology", "ontology", ontology),
        ("data", "data", data),
        *((f"data-{stem}", stem, g) for stem, g in sorted(parts.items())),
    ]
    for name, part, graph in graphs:
        canon = canonical(graph)
        for exporter in exporters:
            path = folder / f"{name}{exporter.suffix}"
            result.dumps.append(write_rdf(path, canon, exporter, part=part))
    context_text = json.dumps({"@context": CONTEXT}, ensure_ascii=False, indent=2) + "\n"
    write_text(folder / "context.jsonld", context_text, verify=_json_check(folder))
    result.other.append(folder / "context.jsonld")
    void = describe(data, ontology=ontology, parts=parts, files=result.dumps, version=__version__)
    void_file = write_rdf(
        folder / RELEASE_MARKER, canonical(void, prefixes=VOID_PREFIXES), EXPORTERS["turtle"]
    )
    result.other.append(void_file.path)
    reviews = folder / "claimreview.jsonld"
    write_text(reviews, _claim_reviews(project, ontology, data), verify=_json_check(folder))
    result.other.append(reviews)
    if site:
        from azgraph.publish.site import build_site

        written = build_site(
            project,
            folder / "site",
            ontology=ontology,
            data=data,
            downloads=[f.path.name for f in result.dumps],
        )
        result.site_files, result.site_changed = written
    write_text(folder / "w3id.htaccess", W3ID_NOTE)
    result.other.append(folder / "w3id.htaccess")
    sums = "".join(
        f"{_sha256(path)}  {path.relative_to(folder).as_posix()}\n"
        for path in sorted([f.path for f in result.dumps] + result.other)
    )
    write_text(folder / "SHA256SUMS", sums)
    result.other.append(folder / "SHA256SUMS")
    return result


def _claim_reviews(project: Project, ontology: Graph, data: Graph) -> str:
    from azgraph.build.seeds import load_seeds
    from azgraph.publish.siteclaims import claimreview_dump
    from azgraph.publish.sitemodel import SiteModel

    return claimreview_dump(SiteModel(data, ontology, load_seeds(project.seeds_dir)))


def verify_sums(folder: Path) -> None:
    """Check every file SHA256SUMS lists, before the folder may replace a published release."""
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if _sha256(folder / name) != digest:
            raise OutputError(
                f"{name} does not match its SHA256SUMS line after writing",
                path=folder,
                hint="The previous release is unchanged; check the disk, then run again.",
            )


def _moved(result: ReleaseResult, work: Path, folder: Path) -> ReleaseResult:
    """The same result with every path in ``folder`` instead of the (now gone) work folder."""

    def move(path: Path) -> Path:
        return folder / path.relative_to(work)

    dumps = [replace(f, path=move(f.path)) for f in result.dumps]
    other = [move(p) for p in result.other]
    return replace(result, folder=folder, dumps=dumps, other=other)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _json_check(folder: Path) -> Callable[[bytes], None]:
    def check(data: bytes) -> None:
        try:
            json.loads(data)
        except ValueError as exc:
            raise OutputError(f"invalid JSON: {exc}", path=folder) from exc

    return check


def describe_files(files: Iterable[WrittenFile], root: Path) -> list[dict[str, Any]]:
    """Name, size and checksum of each file, for the CLI's listing."""
    return [
        {"file": f.path.relative_to(root).as_posix(), "bytes": f.size, "sha256": f.sha256}
        for f in files
    ]


W3ID_NOTE = """\
# How to make https://w3id.org/azgraph/ resolve to this release (a note, not used by the site).
#
# 1. Publish this whole release folder on any static host, e.g.
#    https://example.org/azgraph/ (the dumps at the top, the pages under site/).
# 2. Send a pull request to https://github.com/perma-id/w3id.org adding azgraph/.htaccess with
#    the rules below (HOST is the address of step 1). w3id answers with 303 redirects:
#    browsers get the HTML page, RDF clients the Turtle or JSON-LD file of the same entity.
# 3. If the host runs Apache, site/.htaccess negotiates extension-less URLs itself.
#
# Options +FollowSymLinks
# RewriteEngine on
# # the ontology
# RewriteCond %{HTTP_ACCEPT} application/ld\\+json
# RewriteRule ^ontology$ https://HOST/azgraph/ontology.jsonld [R=303,L]
# RewriteCond %{HTTP_ACCEPT} text/turtle
# RewriteRule ^ontology$ https://HOST/azgraph/ontology.ttl [R=303,L]
# RewriteRule ^ontology$ https://HOST/azgraph/site/index.html [R=303,L]
# # entities: /azgraph/id/<kind>/<slug>
# RewriteCond %{HTTP_ACCEPT} application/ld\\+json
# RewriteRule ^id/([a-z]+)/([^/]+)$ https://HOST/azgraph/site/id/$1/$2.jsonld [R=303,L]
# RewriteCond %{HTTP_ACCEPT} text/turtle
# RewriteRule ^id/([a-z]+)/([^/]+)$ https://HOST/azgraph/site/id/$1/$2.ttl [R=303,L]
# RewriteRule ^id/([a-z]+)/([^/]+)$ https://HOST/azgraph/site/id/$1/$2.html [R=303,L]
# # dumps and everything else
# RewriteRule ^(.*)$ https://HOST/azgraph/$1 [R=302,L]
"""
