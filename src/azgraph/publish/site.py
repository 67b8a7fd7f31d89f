"""The static linked-data site of a release: plain HTML + CSS, relative links, no external requests.

Pages: one per entity (``id/<kind>/<slug>.html`` beside its ``.ttl`` and ``.jsonld``, so an
entity IRI maps onto its files; built by `siteentity`), one per class, one per source document
(its bibliography, BibTeX and CSL-JSON, and its full text with every quote highlighted), a
timeline, the relation picture, and the ontology documentation (``ontology/index.html``, which
every property name links to). ``.htaccess`` negotiates content on Apache. Every file is written
atomically and only when its bytes change; files of a previous build that are no longer produced
are removed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from azgraph.build.seeds import load_seeds
from azgraph.errors import OutputError
from azgraph.project import Project
from azgraph.publish.sitecite import SourceRecord, bibtex, csl_json
from azgraph.publish.siteclaims import claim_reviews, reviews_json, source_records
from azgraph.publish.siteentity import EntityPage
from azgraph.publish.siteformat import format_date
from azgraph.publish.sitemodel import Entity, SiteModel, relative
from azgraph.publish.sitepicture import (
    COLOURS,
    NO_PICTURE,
    neighbourhood_dot,
    overview_dot,
    overview_edges,
    render,
)
from azgraph.publish.sitesearch import INDEX_FILE, SEARCH_ASSETS, search_index
from azgraph.rdf.namespaces import AZ, short
from azgraph.rdf.turtle import write_atomic

GENERATED = {".html", ".ttl", ".jsonld", ".svg", ".css", ".htaccess", ".bib", ".json", ".js"}
Page = Callable[..., None]


@dataclass
class SiteWriter:
    folder: Path
    written: set[Path]
    changed: int = 0

    def write(self, rel: str, content: str | bytes) -> None:
        path = self.folder / rel
        self.written.add(path)
        if write_atomic(path, content):
            self.changed += 1


_TEMPLATES = resources.files("azgraph.publish").joinpath("templates")


@dataclass
class Site:
    """What every page of one build shares."""

    model: SiteModel
    out: SiteWriter
    page: Page
    entity_page: EntityPage
    records: dict[str, SourceRecord]


def build_site(
    project: Project,
    folder: Path,
    *,
    ontology: Graph,
    data: Graph,
    parts: dict[str, Graph] | None = None,
    downloads: Iterable[str] = (),
) -> tuple[int, int]:
    """Write the site into ``folder``; return (files in the site, files whose bytes changed)."""
    from azgraph.owl.ontodocs import anchors, docs_page

    model = SiteModel(data, ontology, load_seeds(project.seeds_dir))
    out = SiteWriter(folder, set())
    docs = docs_page(project.ontology_file, project.data_files())
    out.write("ontology/index.html", docs)
    records = source_records(model)
    site = Site(
        model, out, _renderer(model, out), EntityPage(model, anchors(docs), records), records
    )
    out.write("style.css", _TEMPLATES.joinpath("style.css").read_text(encoding="utf-8"))
    out.write(".htaccess", HTACCESS)
    for asset in SEARCH_ASSETS:
        out.write(asset, _TEMPLATES.joinpath(asset).read_text(encoding="utf-8"))
    out.write(INDEX_FILE, search_index(model))
    pictures = _neighbourhoods(model)
    for entity in model.entities.values():
        _entity_files(site, entity, pictures.get(entity.iri))
    _class_pages(site, ontology)
    _index_pages(site, len(data), downloads)
    _remove_stale(folder, out.written)
    return len(out.written), out.changed


def _renderer(model: SiteModel, out: SiteWriter) -> Page:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from azgraph import __version__

    env = Environment(
        loader=PackageLoader("azgraph.publish", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    sources = [
        {"path": e.path, "label": e.label, "short": e.iri.rsplit("/", 1)[-1]}
        for e in model.class_members(AZ.SourceDocument)
    ]
    common = {"version": __version__, "sources": sources}

    def page(rel: str, template: str, **context: Any) -> None:
        html = env.get_template(template).render(root=relative(rel), **common, **context)
        out.write(rel, html)

    return page


def _index_pages(site: Site, triples: int, downloads: Iterable[str]) -> None:
    model, page = site.model, site.page
    classes = [
        {"href": model.href(c), "label": model.label(c), "count": len(model.class_members(c))}
        for c in model.classes()
    ]
    page(
        "index.html",
        "index.html",
        title="azgraph",
        classes=classes,
        triples=triples,
        entities=len(model.entities),
        downloads=sorted(downloads),
    )
    page("timeline.html", "timeline.html", title="Timeline", rows=_timeline(model))
    (svg,) = render([overview_dot(model)])
    site.out.write("graph.svg", svg)
    nodes, edges = overview_edges(model)
    relations: dict[URIRef, dict[str, list[Entity]]] = {}
    for e in edges:
        relations.setdefault(e.source, {}).setdefault(e.label, []).append(model.entities[e.target])
    by_subject = [
        (model.entities[s], sorted(rels.items()))
        for s, rels in sorted(relations.items(), key=lambda kv: model.entities[kv[0]].label.lower())
    ]
    page(
        "graph.html",
        "graph.html",
        title="Relations",
        svg=Markup(svg),  # noqa: S704 (dot's own output, escaped by dot)
        nodes=len(nodes),
        edges=len(edges),
        relations=by_subject,
        legend=sorted(COLOURS.items()),
    )


def _neighbourhoods(model: SiteModel) -> dict[object, str]:
    """Each entity's neighbourhood picture (SVG), drawn in one ``dot`` run."""
    wanted = [e for e in model.entities.values() if e.cls not in NO_PICTURE]
    sources = {e.iri: neighbourhood_dot(model, e, relative(e.path)) for e in wanted}
    drawn = {iri: src for iri, src in sources.items() if src is not None}
    return dict(zip(drawn, render(list(drawn.values())), strict=True))


def _class_pages(site: Site, ontology: Graph) -> None:
    model = site.model
    for cls in model.classes():
        site.page(
            f"class/{cls[len(str(AZ)) :]}.html",
            "class.html",
            title=model.label(cls),
            cls_short=short(cls),
            comment=str(ontology.value(cls, SKOS.definition) or ""),
            members=model.class_members(cls),
        )


def _entity_files(site: Site, entity: Entity, picture: str | None) -> None:
    model, out = site.model, site.out
    _entity_dumps(model, entity, out)
    slug = entity.path.rsplit("/", 1)[-1].removesuffix(".html")
    root = relative(entity.path)
    cls = entity.cls
    reviews = claim_reviews(model, site.records, entity.iri)
    context: dict[str, Any] = {
        "title": entity.label,
        "e": entity,
        "slug": slug,
        "cls_label": model.label(cls) if cls is not None else "Entity",
        "cls_href": model.href(cls) if cls is not None else None,
        "view": site.entity_page.view(entity, root),
        "picture": Markup(picture) if picture else None,  # noqa: S704 (dot's own output)
        "claimreview": Markup(reviews_json(reviews)) if reviews else None,  # noqa: S704
        "incoming": sorted(
            {
                (model.href(s), model.label(s), p)
                for s, p in entity.incoming
                if model.entities[s].cls != AZ.Evidence
            },
            key=lambda t: (t[1].lower(), t[2]),
        ),
        "own_quote": model.quote(entity.iri) if cls == AZ.Evidence else None,
        "supports": _uses(model, entity.iri.rsplit("/", 1)[-1]) if cls == AZ.Evidence else [],
    }
    if cls == AZ.SourceDocument:
        rec = site.records[str(entity.iri)]
        out.write(f"{entity.path.removesuffix('.html')}.bib", bibtex(rec))
        out.write(f"{entity.path.removesuffix('.html')}.csl.json", csl_json(rec))
        paragraphs = []
        for segments in model.paragraphs(entity.iri):
            evs = sorted({a for s in segments for a in s.anchors})
            cited = [(ev, _uses(model, ev)) for ev in evs]
            uses = sum(len(u) for _, u in cited)
            paragraphs.append({"segments": segments, "cited": cited, "uses": uses})
        date = format_date(
            Literal(rec.date + "-01-01"[len(rec.date) - 4 :]), _precision(rec.date), human=True
        )
        context |= {
            "paragraphs": paragraphs,
            "rec": rec,
            "date": date,
            "bib": bibtex(rec),
            "csl": csl_json(rec),
        }
        site.page(entity.path, "source.html", **context)
    else:
        site.page(entity.path, "entity.html", **context)


def _precision(iso: str) -> str:
    return {4: "year", 7: "month"}.get(len(iso), "day")


def _entity_dumps(model: SiteModel, entity: Entity, out: SiteWriter) -> None:
    from azgraph.publish.exporters import EXPORTERS, canonical, entity_graph

    base = entity.path.removesuffix(".html")
    graph = canonical(entity_graph(model.data, entity.iri))
    for exporter in (EXPORTERS["turtle"], EXPORTERS["jsonld"]):
        data = exporter.serialize(graph)
        path = out.folder / f"{base}{exporter.suffix}"
        out.written.add(path)
        check = functools.partial(exporter.verify, expected=len(graph), path=path)
        if write_atomic(path, data, verify=check):
            out.changed += 1


def _uses(model: SiteModel, evidence: str) -> list[tuple[str | None, str, str]]:
    return sorted(
        {(model.href(s), model.label(s), model.label(p)) for s, p in model.cited_by[evidence]},
        key=lambda t: (t[1].lower(), t[2]),
    )


def _timeline(model: SiteModel) -> list[dict[str, str]]:
    return [
        {
            "date": format_date(fact.obj, fact.precision),  # type: ignore[arg-type]
            "href": entity.path,
            "label": entity.label,
            "kind": fact.prop_label,
            "cls": model.label(entity.cls) if entity.cls is not None else "",
            "status": " ".join(sorted(set(fact.statuses))),
        }
        for _, entity, fact in model.dated()
    ]


def _remove_stale(folder: Path, written: set[Path]) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in GENERATED and path not in written:
            try:
                path.unlink()
            except OSError as exc:
                raise OutputError(f"cannot remove a stale file: {exc.strerror}", path=path) from exc


HTACCESS = """\
# Content negotiation for the azgraph site (Apache 2.4: mod_rewrite, mod_mime, mod_headers).
# An entity IRI .../id/<kind>/<slug> serves <slug>.ttl to Accept: text/turtle,
# <slug>.jsonld to Accept: application/ld+json, and <slug>.html to everything else.
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/n-triples .nt
AddType application/rdf+xml .rdf
AddCharset utf-8 .ttl .jsonld .nt .html
Options -MultiViews
<IfModule mod_headers.c>
  Header append Vary Accept
</IfModule>
RewriteEngine On
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(.+)$ $1.ttl [L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(.+)$ $1.jsonld [L]
RewriteCond %{REQUEST_FILENAME}.html -f
RewriteRule ^(.+)$ $1.html [L]
"""
