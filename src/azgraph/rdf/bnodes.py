"""Blank-node labels from content: the labelling the Turtle writer gives ``data/``.

A blank node is named by a hash of what it says (recursively), so the writer's sort order, and
so the bytes, depend only on the graph's content; a label stays put when the rest of the file
changes, and two data files never share one (`store.load_labelled` relies on that).
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from azgraph.rdf.terms import from_oxigraph, to_oxigraph
from azgraph.rdf.triples import Triple


def is_blank(term: Node) -> bool:
    """``isinstance(term, BNode)``, without the ABC check for the common exact types."""
    kind = type(term)
    if kind is URIRef or kind is Literal:
        return False
    return kind is BNode or isinstance(term, BNode)


class _AmbiguousError(Exception):
    pass


def content_labels(triples: list[Triple]) -> dict[Node, str] | None:
    """Name each blank node by a hash of what it says (recursively), so that the serialiser's
    sort order, and so the bytes, depend only on the graph's content.

    Why not ``canon=True`` alone: rdflib's canonicalisation took 25 s for the 5,500 triples of
    one seed (its cost grows faster than linearly with the number of owl:Axiom nodes). Our blank
    nodes are axiom annotations, lists and class expressions: trees, each with distinct content,
    which this labels in linear time. Cycles or two blank nodes with equal content and equal
    incoming edges return None, and the caller falls back to rdflib's canonicalisation.
    """
    says: dict[Node, list[tuple[Node, Node]]] = {}  # blank node -> its (predicate, object)s
    blanks: set[Node] = set()
    for s, p, o in triples:
        if is_blank(s):
            found = says.get(s)
            if found is None:
                says[s] = [(p, o)]
            else:
                found.append((p, o))
        if is_blank(o):
            blanks.add(o)
    blanks.update(says)
    if not blanks:
        return {}
    memo: dict[Node, str] = {}
    n3: dict[int, str] = {}  # rdflib's n3() re-validates an IRI each call; by id, see _NTriples

    def text(node: Node, path: frozenset[Node]) -> str:
        if is_blank(node):
            return digest(node, path)
        found = n3.get(id(node))
        if found is None:
            found = n3[id(node)] = node.n3()
        return found

    def digest(node: Node, path: frozenset[Node]) -> str:
        found = memo.get(node)
        if found is not None:
            return found
        if node in path:
            raise _AmbiguousError
        inner = path | {node}
        parts = sorted(f"{text(p, inner)} {text(o, inner)}" for p, o in says.get(node, ()))
        memo[node] = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]
        return memo[node]

    try:
        for node in blanks:
            digest(node, frozenset())
    except _AmbiguousError:
        return None
    return _named(triples, memo)


def _named(triples: list[Triple], memo: dict[Node, str]) -> dict[Node, str] | None:
    """The labels from the content hashes ``memo``, twins (equal content) told apart by where
    they are used; None if that is not enough."""
    counts: dict[str, int] = {}
    for key in memo.values():
        counts[key] = counts.get(key, 0) + 1
    twins = {node for node, key in memo.items() if counts[key] > 1}
    incoming: dict[Node, list[str]] = {node: [] for node in twins}
    if twins:  # equal content: tell the twins apart by where they are used
        for s, p, o in triples:
            if o in incoming and not isinstance(s, BNode):
                incoming[o].append(f"{s.n3()}{p.n3()}")
    labels: dict[Node, str] = {}
    for node, key in memo.items():
        if node in incoming:
            used = "".join(sorted(incoming[node]))
            key = hashlib.sha256((key + used).encode("utf-8")).hexdigest()[:24]
        labels[node] = f"b{key}"
    if len(set(labels.values())) != len(labels):
        return None
    return labels


def labelled(triples: list[Triple]) -> list[Triple]:
    """``triples`` with every blank node renamed: the one labelling of every writer that names
    blank nodes (the Protégé bundle, the release dumps; the Turtle writer uses `content_labels`).

    Content labels when they name every node; otherwise (a cycle, indistinguishable twins) the
    RDFC-1.0 labels pyoxigraph computes in linear time on such graphs where rdflib's
    canonicalisation takes minutes. RDFC numbers the nodes of each graph from ``c14n0``, so its
    labels are prefixed with a digest of the graph, and two files still never share a label.
    """
    labels = content_labels(triples)
    if labels is None:
        return _rdfc(triples)
    named = {node: BNode(label) for node, label in labels.items()}
    return [
        (
            named[s] if is_blank(s) else s,
            p,
            named[o] if is_blank(o) else o,
        )
        for s, p, o in triples
    ]


def _rdfc(triples: list[Triple]) -> list[Triple]:
    dataset = ox.Dataset(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in triples
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = sorted(str(quad) for quad in dataset)
    prefix = "r" + hashlib.sha256("\n".join(quads).encode("utf-8")).hexdigest()[:16]

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(node, ox.BlankNode):
            return BNode(f"{prefix}{node.value}")
        return from_oxigraph(node)

    return [(term(q.subject), term(q.predicate), term(q.object)) for q in dataset]
