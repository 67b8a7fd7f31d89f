"""Relation pictures drawn by Graphviz: the overview, and each entity's neighbourhood.

Every picture of a site goes through one ``dot`` process (a file of many graphs gives many SVG
documents), so a few hundred pictures cost one program start. The overview groups entities by
class in clusters and is drawn top to bottom so that it fits the page width; the same relations
are listed as text beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDFS

from azgraph.errors import AzgraphError, OutputError
from azgraph.publish.sitemodel import Entity, SiteModel
from azgraph.rdf.namespaces import AZ, short

PICTURE_CLASSES = ("State", "Person", "Agreement", "Pipeline", "Conflict")
COLOURS = {
    "State": "#cfe3f3",
    "Person": "#fde8c8",
    "Agreement": "#d9f0d3",
    "Pipeline": "#e6dcf2",
    "Conflict": "#f8d0d0",
}
OTHER_COLOUR = "#eeeeee"
NO_PICTURE = {AZ.Evidence, AZ.SourceDocument}
MAX_NEIGHBOURS = 16
_HEAD = (
    '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=10, '
    'margin="0.08,0.03"];\n'
    '  edge [fontname="DejaVu Sans", fontsize=8, color="#667788", fontcolor="#445566"];\n'
)


@dataclass(frozen=True)
class Edge:
    source: URIRef
    target: URIRef
    label: str


def overview_edges(model: SiteModel) -> tuple[dict[URIRef, Entity], list[Edge]]:
    """The entities of the picture classes that are linked to each other, and their links."""
    wanted = {AZ[name] for name in PICTURE_CLASSES}
    nodes = {e.iri: e for e in model.entities.values() if e.cls in wanted}
    edges = sorted(
        {
            Edge(s, o, model.label(p))  # type: ignore[arg-type]
            for s, p, o in model.data
            if s in nodes and o in nodes and s != o and p != RDFS.seeAlso
        },
        key=lambda e: (str(e.source), e.label, str(e.target)),
    )
    linked = {e.source for e in edges} | {e.target for e in edges}
    return {iri: e for iri, e in sorted(nodes.items()) if iri in linked}, edges


def overview_dot(model: SiteModel) -> str:
    nodes, edges = overview_edges(model)
    lines = [
        "digraph relations {",
        '  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=11, newrank=true, nodesep=0.15,'
        " ranksep=0.35];",
        _HEAD,
    ]
    for name in PICTURE_CLASSES:
        members = [e for e in nodes.values() if e.cls == AZ[name]]
        if not members:
            continue
        lines.append(f'  subgraph "cluster_{name}" {{ label={_q(name)}; color="#cccccc";')
        lines += [f"    {_node(e, '')}" for e in members]
        lines.append("  }")
    for (source, target), labels in _pairs(edges).items():
        label = ", ".join(labels)
        lines.append(
            f"  {_id(source)} -> {_id(target)} [tooltip={_q(label)}, label={_q(_wrap(label))}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _pairs(edges: list[Edge]) -> dict[tuple[URIRef, URIRef], list[str]]:
    """One line per pair of entities: the relations of the first direction met (the other
    direction usually states the inverse: *signed* and *signatory*)."""
    pairs: dict[tuple[URIRef, URIRef], list[str]] = {}
    for edge in edges:
        if (edge.target, edge.source) in pairs:
            continue
        pairs.setdefault((edge.source, edge.target), []).append(edge.label)
    return pairs


def neighbourhood_dot(model: SiteModel, entity: Entity, root: str) -> str | None:
    """One hop around ``entity`` (both directions), or None when it has no entity neighbour."""
    edges: set[Edge] = set()
    for fact in entity.facts:
        if fact.obj in model.entities and fact.obj != entity.iri:
            edges.add(Edge(entity.iri, fact.obj, fact.prop_label))  # type: ignore[arg-type]
    for subject, prop_label in entity.incoming:
        if subject != entity.iri:
            edges.add(Edge(subject, entity.iri, prop_label))
    shown = sorted(
        (e for e in edges if _entity(model, e.source) and _entity(model, e.target)),
        key=lambda e: (str(e.source), e.label, str(e.target)),
    )[: MAX_NEIGHBOURS * 2]
    if not shown:
        return None
    iris = sorted({e.source for e in shown} | {e.target for e in shown}, key=str)
    lines = [
        "digraph neighbourhood {",
        '  graph [rankdir=LR, fontname="DejaVu Sans", nodesep=0.1, ranksep=0.25];',
        _HEAD.replace("fontsize=10", "fontsize=14").replace("fontsize=8", "fontsize=12"),
    ]
    for iri in iris:
        e = model.entities[iri]
        lines.append(f"  {_node(e, root, bold=iri == entity.iri, width=16)}")
    for edge in shown:
        label = _q(_wrap(edge.label, 12))
        lines.append(f"  {_id(edge.source)} -> {_id(edge.target)} [label={label}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _entity(model: SiteModel, iri: URIRef) -> bool:
    e = model.entities.get(iri)
    return e is not None and e.cls not in NO_PICTURE


def _node(e: Entity, root: str, bold: bool = False, width: int = 22) -> str:
    cls = str(e.cls)[len(str(AZ)) :] if e.cls is not None else ""
    colour = COLOURS.get(cls, OTHER_COLOUR)
    extra = ", penwidth=2" if bold else ""
    return (
        f"{_id(e.iri)} [label={_q(_wrap(e.label, width))}, fillcolor={_q(colour)}, "
        f"URL={_q(root + e.path)}, target=_top, tooltip={_q(cls + ': ' + e.label)}{extra}];"
    )


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def render(sources: list[str]) -> list[str]:
    """Each dot source as SVG, in one ``dot`` run; the XML prologue is dropped."""
    if not sources:
        return []
    dot = shutil.which("dot")
    if dot is None:
        raise AzgraphError(
            "Graphviz 'dot' is not installed; the relation pictures need it",
            hint="Install it (apt-get install graphviz), or use 'azgraph release --no-site'.",
        )
    try:
        done = subprocess.run(  # noqa: S603 (a fixed local program, no shell)
            [dot, "-Tsvg"], input="".join(sources), capture_output=True, text=True, check=True
        )
    except subprocess.CalledProcessError as exc:
        raise OutputError(f"dot failed: {exc.stderr.strip()}", path="graph.svg") from exc
    svgs = [part[part.index("<svg") :] for part in _SPLIT.split(done.stdout) if "<svg" in part]
    if len(svgs) != len(sources):
        raise OutputError(f"dot drew {len(svgs)} of {len(sources)} pictures", path="graph.svg")
    return svgs


_SPLIT = re.compile(r"(?=<\?xml )")


def _id(iri: object) -> str:
    return _q(short(URIRef(str(iri))))


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
