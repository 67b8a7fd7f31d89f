"""Which shapes the fast engine must leave to pySHACL because the store rewrote literals.

The store keeps typed literals by value (rdf/store.py records, per predicate, how: a new
datatype, a new lexical form, or two literals merged into one term). A constraint is only
wrong on the store when it reads what the rewrite lost, so a shape is refused for the
constraints that depend on that kind of rewrite and no others: ``sh:minInclusive`` compares
values and is right on "1.5" as on "1.50", ``sh:maxCount`` is wrong only when two values merged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from azgraph.rdf.namespaces import SH
from azgraph.rdf.store import DATATYPE, LEXICAL, MERGE

ALL_KINDS = frozenset({DATATYPE, LEXICAL, MERGE})
_TERMS = ALL_KINDS  # term equality sees every rewrite
# constraint parameter -> the rewrites that make it wrong on the store; any other parameter
# (sh:node, sh:sparql, one we do not know) counts as reading everything
DEPENDS: dict[Node, frozenset[str]] = {
    SH.datatype: frozenset({DATATYPE}),
    SH.minCount: frozenset({MERGE}),
    SH.maxCount: frozenset({MERGE}),
    SH.qualifiedMinCount: _TERMS,
    SH.qualifiedMaxCount: _TERMS,
    SH.pattern: frozenset({LEXICAL, MERGE}),
    SH.flags: frozenset(),
    SH.minLength: frozenset({LEXICAL, MERGE}),
    SH.maxLength: frozenset({LEXICAL, MERGE}),
    SH["in"]: _TERMS,
    SH.hasValue: _TERMS,
    SH.equals: _TERMS,
    SH.disjoint: _TERMS,
    SH.minInclusive: frozenset(),
    SH.maxInclusive: frozenset(),
    SH.minExclusive: frozenset(),
    SH.maxExclusive: frozenset(),
    SH.lessThan: frozenset(),
    SH.lessThanOrEquals: frozenset(),
    SH.nodeKind: frozenset(),
    SH["class"]: frozenset(),
    SH.languageIn: frozenset(),
    SH.uniqueLang: frozenset(),
}
_NOT_CONSTRAINTS = {
    SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group,
    SH.deactivated, SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetObjectsOf,
    SH.targetSubjectsOf,
}  # fmt: skip


def reads_rewritten(shapes: Graph, shape: Node, rewritten: Mapping[Any, frozenset[str]]) -> str:
    """Why ``shape`` cannot run on the store, or "" when it can.

    ``rewritten`` maps a predicate to how the store rewrote its literals (`store.rewrite_kinds`).
    """
    if not rewritten:
        return ""
    for pred in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str):
        if pred in rewritten:  # the rewritten literals are the focus nodes: every check sees them
            return _why(shapes, pred)
    for prop in shapes.objects(shape, SH.property):
        for pred in sorted(shapes.objects(prop, SH.path), key=str):
            if pred in rewritten and _reads(shapes, prop, rewritten[pred]):
                return _why(shapes, pred)
    if any(isinstance(node, Literal) for node in shapes.objects(shape, SH.targetNode)):
        return "it targets literals"
    return ""


def _reads(shapes: Graph, shape: Node, kinds: frozenset[str]) -> bool:
    """Whether a constraint of ``shape`` depends on one of the rewrites ``kinds``."""
    for param in set(shapes.predicates(shape, None)) - _NOT_CONSTRAINTS:
        if param == SH.property or DEPENDS.get(param, ALL_KINDS) & kinds:
            return True
    return False


def _why(shapes: Graph, pred: Node) -> str:
    name = shapes.namespace_manager.normalizeUri(pred) if isinstance(pred, URIRef) else str(pred)
    return f"values of {name} are literals the store keeps only in canonical form"
