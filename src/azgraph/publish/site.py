"""The static linked-data site of a release: plain HTML + CSS, relative links, no external requests.

Pages: one per entity (``id/<kind>/<slug>.html`` beside its ``.ttl`` and ``.jsonld``, so an
entity IRI maps onto its files), one per class, one per source document (the entity page of the
source, with its full text and every quote highlighted), a timeline and a relation picture drawn
by Graphviz ``dot``. ``.htaccess`` negotiates content on Apache. Every file is written atomically
and only when its bytes change; files of a previous build that are no longer produced are removed.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD
from rdflib.term import Node

from azgraph.build.seeds import load_seeds
from azgraph.errors import AzgraphError, OutputError
from azgraph.project import Project
from azgraph.publish.sitemodel import Entity, Fact, SiteModel, format_date, relative
from azgraph.rdf.namespaces import AZ, short
from azgraph.rdf.turtle import write_atomic

PICTURE_CLASSES = ("State", "Person", "Agreement", "Pipeline", "Conflict")
COLOURS = {
    "State": "#cfe3f3",
    "Person": "#fde8c8",
    "Agreement": "#d9f0d3",
    "Pipeline": "#e6dcf2",
    "Conflict": "#f8d0d0",
}
GENERATED = {".html", ".ttl", ".jsonld", ".svg", ".css", ".htaccess"}


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
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from azgraph import __version__

    model = SiteModel(data, ontology, load_seeds(project.seeds_dir))
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
    out = SiteWriter(folder, set())

    def page(rel: str, template: str, **context: Any) -> None:
        html = env.get_template(template).render(root=relative(rel), **common, **context)
        out.write(rel, html)

    out.write("style.css", _TEMPLATES.joinpath("style.css").read_text(encoding="utf-8"))
    out.write(".htaccess", HTACCESS)
    for entity in model.entities.values():
        _entity_files(model, entity, out, page)
    _class_pages(model, ontology, page)
    classes = [
        {"href": model.href(c), "label": model.label(c), "count": len(model.class_members(c))}
        for c in model.classes()
    ]
    page(
        "index.html",
        "index.html",
        title="azgraph",
        classes=classes,
        triples=len(data),
        entities=len(model.entities),
        downloads=sorted(downloads),
    )
    page("timeline.html", "timeline.html", title="Timeline", rows=_timeline(model))
    svg, nodes, edges = _picture(model)
    out.write("graph.svg", svg)
    inline = Markup(svg[svg.index("<svg") :])  # noqa: S704 (dot's own output, escaped by dot)
    page(
        "graph.html",
        "graph.html",
        title="Relations",
        svg=inline,
        nodes=nodes,
        edges=edges,
        legend=sorted(COLOURS.items()),
    )
    _remove_stale(folder, out.written)
    return len(out.written), out.changed


def _class_pages(model: SiteModel, ontology: Graph, page: Any) -> None:
    for cls in model.classes():
        page(
            f"class/{cls[len(str(AZ)) :]}.html",
            "class.html",
            title=model.label(cls),
            cls_short=short(cls),
            comment=str(ontology.value(cls, SKOS.definition) or ""),
            members=model.class_members(cls),
        )


def _entity_files(model: SiteModel, entity: Entity, out: SiteWriter, page: Any) -> None:
    from azgraph.publish.exporters import EXPORTERS, canonical, entity_graph

    slug = entity.path.rsplit("/", 1)[-1].removesuffix(".html")
    base = entity.path.removesuffix(".html")
    graph = canonical(entity_graph(model.data, entity.iri))
    for exporter in (EXPORTERS["turtle"], EXPORTERS["jsonld"]):
        data = exporter.serialize(graph)
        path = out.folder / f"{base}{exporter.suffix}"
        out.written.add(path)
        check = functools.partial(exporter.verify, expected=len(graph), path=path)
        if write_atomic(path, data, verify=check):
            out.changed += 1
    cls = entity.cls
    context: dict[str, Any] = {
        "title": entity.label,
        "e": entity,
        "slug": slug,
        "cls_label": model.label(cls) if cls is not None else "Entity",
        "cls_href": model.href(cls) if cls is not None else None,
        "facts": [_fact_view(model, f, relative(entity.path)) for f in entity.facts],
        "incoming": sorted(
            {(model.href(s), model.label(s), p) for s, p in entity.incoming},
            key=lambda t: (t[1].lower(), t[2]),
        ),
    }
    if cls == AZ.Evidence:
        context["own_quote"] = model.quote(entity.iri)
        context["supports"] = _uses(model, entity.iri.rsplit("/", 1)[-1])
    else:
        context["own_quote"] = None
    if cls == AZ.SourceDocument:
        paragraphs = []
        for segments in model.paragraphs(entity.iri):
            evs = sorted({a for s in segments for a in s.anchors})
            cited = [(ev, _uses(model, ev)) for ev in evs]
            paragraphs.append({"segments": segments, "cited": cited})
        page(entity.path, "source.html", paragraphs=paragraphs, **context)
    else:
        page(entity.path, "entity.html", **context)


def _uses(model: SiteModel, evidence: str) -> list[tuple[str | None, str, str]]:
    return sorted(
        {(model.href(s), model.label(s), model.label(p)) for s, p in model.cited_by[evidence]},
        key=lambda t: (t[1].lower(), t[2]),
    )


def _fact_view(model: SiteModel, fact: Fact, root: str) -> dict[str, Any]:
    return {**fact.__dict__, "object_html": object_html(model, fact.obj, fact.precision, root)}


def object_html(model: SiteModel, obj: Node, precision: str | None, root: str) -> Markup:
    if isinstance(obj, Literal):
        if obj.datatype == XSD.dateTime:
            return escape(format_date(obj, precision))
        text = escape(str(obj))
        if obj.language:
            return Markup(f'“<span lang="{escape(obj.language)}">{text}</span>” ({obj.language})')
        return Markup(f"“{text}”") if obj.datatype is None else text
    href = model.href(obj)
    label = escape(model.label(obj))
    if href is not None:
        return Markup(f'<a href="{escape(root + href)}">{label}</a>')
    if isinstance(obj, URIRef) and str(obj).startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(str(obj))}">{label}</a>')
    return label


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


def _picture(model: SiteModel) -> tuple[str, int, int]:
    """The relation picture as SVG (Graphviz dot), with its node and edge counts."""
    wanted = {AZ[name] for name in PICTURE_CLASSES}
    nodes = {e.iri: e for e in model.entities.values() if e.cls in wanted}
    edges = sorted(
        {
            (str(s), str(o), model.label(p))
            for s, p, o in model.data
            if s in nodes and o in nodes and s != o and p != RDFS.seeAlso
        }
    )
    linked = {s for s, _, _ in edges} | {o for _, o, _ in edges}
    lines = [
        "digraph relations {",
        '  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=10, overlap=false];',
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10];',
        '  edge [fontname="DejaVu Sans", fontsize=8, color="#667788"];',
    ]
    for iri, e in sorted(nodes.items()):
        if str(iri) not in linked:
            continue
        cls = str(e.cls)[len(str(AZ)) :]
        lines.append(
            f"  {_dot_id(iri)} [label={_dot_str(e.label)}, fillcolor={_dot_str(COLOURS[cls])}, "
            f"URL={_dot_str(e.path)}, target=_top, tooltip={_dot_str(cls + ': ' + e.label)}];"
        )
    for s, o, label in edges:
        lines.append(f"  {_dot_id(s)} -> {_dot_id(o)} [label={_dot_str(label)}];")
    lines.append("}")
    dot = shutil.which("dot")
    if dot is None:
        raise AzgraphError(
            "Graphviz 'dot' is not installed; the relation picture needs it",
            hint="Install it (apt-get install graphviz), or use 'azgraph release --no-site'.",
        )
    try:
        done = subprocess.run(  # noqa: S603 (a fixed local program, no shell)
            [dot, "-Tsvg"], input="\n".join(lines), capture_output=True, text=True, check=True
        )
    except subprocess.CalledProcessError as exc:
        raise OutputError(f"dot failed: {exc.stderr.strip()}", path="graph.svg") from exc
    return done.stdout, len(linked), len(edges)


def _dot_id(iri: object) -> str:
    return _dot_str(short(URIRef(str(iri))))


def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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
