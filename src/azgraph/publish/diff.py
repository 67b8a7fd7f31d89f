"""Release notes by diff: the facts added, removed and changed between two releases, by entity.

A fact is a triple without blank nodes (the OWL axiom nodes that carry evidence have no identity
across releases). A *change* is the same subject and property with different objects: the old
objects are listed as replaced by the new ones. Entities are named by their English label, and
dates print at the precision their axioms give (``2003``, not ``2003-01-01T00:00:00``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, XSD
from rdflib.term import Node

from azgraph.errors import InputError
from azgraph.rdf.dates import format_date
from azgraph.rdf.namespaces import AZ, short
from azgraph.rdf.turtle import parse_turtle

Triple = tuple[Node, Node, Node]


@dataclass
class EntityChanges:
    subject: URIRef
    label: str
    added: list[tuple[Node, Node]] = field(default_factory=list)
    removed: list[tuple[Node, Node]] = field(default_factory=list)
    changed: list[tuple[Node, list[Node], list[Node]]] = field(default_factory=list)


@dataclass
class ReleaseDiff:
    old: Path
    new: Path
    entities: list[EntityChanges]
    precisions: dict[Triple, str] = field(default_factory=dict)

    @property
    def counts(self) -> tuple[int, int, int]:
        return (
            sum(len(e.added) for e in self.entities),
            sum(len(e.removed) for e in self.entities),
            sum(len(e.changed) for e in self.entities),
        )


def load_release(path: Path) -> Graph:
    """A release folder (its ``data.ttl``) or a Turtle dump."""
    if path.is_dir():
        if not (path / "data.ttl").is_file():
            raise InputError(
                "no data.ttl in this folder",
                path=path,
                hint="Give a folder made by 'azgraph release', or a Turtle file.",
            )
        path = path / "data.ttl"
    if not path.is_file():
        raise InputError("no such file or folder", path=path, hint="Check the path.")
    return parse_turtle(path)


def facts(graph: Graph) -> set[Triple]:
    return {t for t in graph if not any(isinstance(x, BNode) for x in t)}


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    old_graph, new_graph = load_release(old), load_release(new)
    precisions = date_precisions(old_graph) | date_precisions(new_graph)
    return ReleaseDiff(old, new, diff_graphs(old_graph, new_graph), precisions)


def date_precisions(graph: Graph) -> dict[Triple, str]:
    """The ``az:datePrecision`` of each dated fact, read from its axioms."""
    found: dict[Triple, str] = {}
    for axiom, precision in graph.subject_objects(AZ.datePrecision):
        s = graph.value(axiom, OWL.annotatedSource)
        p = graph.value(axiom, OWL.annotatedProperty)
        o = graph.value(axiom, OWL.annotatedTarget)
        if s is not None and p is not None and o is not None:
            found[(s, p, o)] = str(precision)
    return found


def diff_graphs(old: Graph, new: Graph) -> list[EntityChanges]:
    before, after = facts(old), facts(new)
    gone: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
    came: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
    for s, p, o in before - after:
        gone[(s, p)].append(o)
    for s, p, o in after - before:
        came[(s, p)].append(o)
    entities: dict[Node, EntityChanges] = {}

    def entry(s: Node) -> EntityChanges:
        if s not in entities:
            entities[s] = EntityChanges(s, _label(new, s) or _label(old, s) or short(s))  # type: ignore[arg-type]
        return entities[s]

    for s, p in sorted(set(gone) | set(came)):
        olds = sorted(gone.get((s, p), []), key=str)
        news = sorted(came.get((s, p), []), key=str)
        if olds and news:
            entry(s).changed.append((p, olds, news))
        elif news:
            entry(s).added += [(p, o) for o in news]
        else:
            entry(s).removed += [(p, o) for o in olds]
    return sorted(entities.values(), key=lambda e: (e.label.lower(), str(e.subject)))


def _label(graph: Graph, node: Node) -> str | None:
    labels = sorted(
        (o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)),
        key=lambda lit: (lit.language != "en", str(lit)),
    )
    return str(labels[0]) if labels else None


def render_markdown(diff: ReleaseDiff) -> str:
    added, removed, changed = diff.counts
    lines = [
        f"# Changes from {diff.old.name} to {diff.new.name}",
        "",
        f"{added} facts added, {removed} removed, {changed} changed, "
        f"about {len(diff.entities)} entities.",
    ]
    for e in diff.entities:

        def value(p: Node, o: Node, s: Node = e.subject) -> str:
            return _value(o, diff.precisions.get((s, p, o)))

        lines += ["", f"## {e.label} (`{short(e.subject)}`)", ""]
        lines += [f"- added: {short(p)} {value(p, o)}" for p, o in e.added]
        lines += [f"- removed: {short(p)} {value(p, o)}" for p, o in e.removed]
        lines += [
            f"- changed: {short(p)} {', '.join(value(p, o) for o in olds)} → "
            f"{', '.join(value(p, o) for o in news)}"
            for p, olds, news in e.changed
        ]
    return "\n".join(lines) + "\n"


def _value(node: Node, precision: str | None = None) -> str:
    if isinstance(node, Literal):
        text = str(node).replace("\n", " ")
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype == XSD.dateTime:
            return format_date(node, precision)
        if node.datatype is not None and node.datatype != XSD.string:
            return text  # numbers, dates, booleans: their lexical form
        return f'"{text}"'
    return f"`{short(node)}`"
