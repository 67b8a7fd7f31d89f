"""The one place where rdflib's terms and pyoxigraph's meet.

Why both models: the build, the writers and pySHACL speak rdflib; the stores, the fast SHACL
engine and every query speak pyoxigraph. Each conversion between them is written once, here, so
that a literal's datatype or a blank node's label cannot come out differently in two places.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib.term import BNode, Literal, Node, URIRef

    _Classes = tuple[type[URIRef], type[BNode], type[Literal]]


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term (None stays None)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    uriref, bnode, literal = _RDFLIB or _rdflib_classes()
    if isinstance(term, uriref):
        return ox.NamedNode(str(term))
    if isinstance(term, bnode):
        return ox.BlankNode(str(term))
    if isinstance(term, literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDFLIB: _Classes | None = None


def _rdflib_classes() -> _Classes:
    """rdflib's term classes, imported on first use (importing rdflib costs a cold start) and
    then kept: an import statement run for every term cost the writers more than converting."""
    global _RDFLIB
    import rdflib

    _RDFLIB = (rdflib.URIRef, rdflib.BNode, rdflib.Literal)
    return _RDFLIB


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term an rdflib parse gives: like `to_rdflib`, but a simple literal stays
    simple (pyoxigraph reports it as xsd:string, rdflib parses it without a datatype)."""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == _XSD_STRING:
        from rdflib import Literal

        return Literal(term.value)
    found = to_rdflib(term)
    assert found is not None
    return found
