"""The one place where rdflib's terms and pyoxigraph's meet.

Why both models: the build, the writers and pySHACL speak rdflib; the stores, the fast SHACL
engine and every query speak pyoxigraph. Each conversion between them is written once, here, so
that a literal's datatype or a blank node's label cannot come out differently in two places,
and the two models are told apart here too (by type, never by module name). The cold lane of
`query run` renders pyoxigraph terms through this module, so it imports neither rdflib (only
where an rdflib term is met) nor typing.
"""

from __future__ import annotations

import pyoxigraph as ox

TYPE_CHECKING = False  # typing costs a cold `query run` about 8 ms
if TYPE_CHECKING:
    from rdflib.term import BNode, Literal, Node, URIRef

    _Classes = tuple[type[URIRef], type[BNode], type[Literal]]

    OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

OX_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term (None stays None)."""
    URIRef, BNode, Literal = _RDFLIB or _rdflib_classes()  # noqa: N806 - rdflib's classes
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


def as_rdflib(term: Node | OxTerm) -> Node:
    """The rdflib term for a term of either model (an rdflib term is returned as it is)."""
    if isinstance(term, OX_TERMS):
        found = to_rdflib(term)
        assert found is not None
        return found
    return term


def term_parts(term: Node | OxTerm) -> tuple[str, str, str | None, str | None]:
    """(kind, lexical value, language, datatype IRI) of a term of either model.

    Both models print alike from these: results converted to rdflib (`to_rdflib`) carry an
    explicit datatype on every literal without a language, and so do pyoxigraph's.
    """
    if isinstance(term, ox.NamedNode):
        return "uri", term.value, None, None
    if isinstance(term, ox.BlankNode):
        return "bnode", term.value, None, None
    if isinstance(term, ox.Literal):
        if term.language:
            return "literal", term.value, term.language, None
        return "literal", term.value, None, term.datatype.value
    from rdflib import BNode, URIRef
    from rdflib.term import Literal

    if isinstance(term, URIRef):
        return "uri", str(term), None, None
    if isinstance(term, BNode):
        return "bnode", str(term), None, None
    if isinstance(term, Literal):
        datatype = term.datatype
        return "literal", str(term), term.language, str(datatype) if datatype else None
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
