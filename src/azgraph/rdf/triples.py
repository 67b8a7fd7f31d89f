"""A plain set of rdflib triples with the few look-ups the build needs.

Why not an rdflib ``Graph``: adding a triple to one costs 25-45 µs (its store keeps context
indexes and fires events), so compiling the ×100 corpus (one million triples) spent more time
adding triples than doing anything else. The build only adds triples and then reads them back a
few ways; a Python set does the first in a fraction of a microsecond, and the indexes for the
second are made once, when first asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF

if TYPE_CHECKING:
    from rdflib.term import Node

Triple = tuple["Node", "Node", "Node"]


class FactLookup(Protocol):
    """The two look-ups ``links.ttl`` needs of a seed's graph (`TripleSet`, `CachedSeed`)."""

    def subjects(self, predicate: Node, obj: Node, /) -> Iterator[Node]: ...

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]: ...


class TripleSink(Protocol):
    """Anything triples can be added to: a `TripleSet` or an rdflib ``Graph``."""

    def add(self, triple: Triple, /) -> object: ...


class TripleSet:
    """Triples with subject and object look-ups, indexed lazily (adding drops the indexes)."""

    __slots__ = ("_triples", "_by_subject", "_by_object")

    def __init__(self) -> None:
        self._triples: set[Triple] = set()
        self._by_subject: dict[Node, list[tuple[Node, Node]]] | None = None
        self._by_object: dict[Node, list[tuple[Node, Node]]] | None = None

    def add(self, triple: Triple) -> None:
        self._triples.add(triple)
        self._by_subject = self._by_object = None

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def _subject_index(self) -> dict[Node, list[tuple[Node, Node]]]:
        if self._by_subject is None:
            index: dict[Node, list[tuple[Node, Node]]] = {}
            for s, p, o in self._triples:
                index.setdefault(s, []).append((p, o))
            self._by_subject = index
        return self._by_subject

    def _object_index(self) -> dict[Node, list[tuple[Node, Node]]]:
        if self._by_object is None:
            index: dict[Node, list[tuple[Node, Node]]] = {}
            for s, p, o in self._triples:
                index.setdefault(o, []).append((s, p))
            self._by_object = index
        return self._by_object

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return (o for p, o in self._subject_index().get(subject, ()) if p == predicate)

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, p in self._object_index().get(obj, ()) if p == predicate)

    def value(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        object: Node | None = None,  # noqa: A002  (rdflib's keyword, kept for familiarity)
    ) -> Node | None:
        """The object of (subject, predicate), or the subject of (predicate, object); else None."""
        assert predicate is not None and (subject is None) != (object is None)
        found = (
            self.objects(subject, predicate)
            if subject is not None
            else self.subjects(predicate, object)  # type: ignore[arg-type]
        )
        return min(found, key=lambda n: (type(n).__name__, str(n)), default=None)


def axiom_node(graph: TripleSink, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> BNode:
    """A new owl:Axiom node that annotates ``triple`` (the OWL 2 reification)."""
    axiom = BNode()
    graph.add((axiom, RDF.type, OWL.Axiom))
    graph.add((axiom, OWL.annotatedSource, triple[0]))
    graph.add((axiom, OWL.annotatedProperty, triple[1]))
    graph.add((axiom, OWL.annotatedTarget, triple[2]))
    return axiom
