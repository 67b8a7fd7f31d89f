"""The gate for shapes graphs: every SPARQL text a shapes graph carries passes the query gate,
and the SHACL features azgraph does not run are refused by name.

Why a gate of its own, called by the library (`validate.validate_graph`, `validate.load_shapes`,
`incremental.make_units`) and not only by the CLI: pySHACL runs every SPARQL text it finds in a
shapes graph through rdflib's engine, which executes SERVICE; with SHACL Advanced Features on it
also runs rules, functions and custom targets, and SHACL-JS loads code from URLs. A shape's query
can come from `sh:select` or `sh:ask` (constraints, SELECT and ASK validators of constraint
components, targets, functions), from `sh:construct` (rules) or `sh:update`; its prefixes come
from `sh:declare`, on the query's own `sh:prefixes` node or on any ontology of the graph, which
pySHACL pastes into the text. azgraph runs SHACL Core and SHACL-SPARQL constraints (with their
constraint components); everything else is refused here before an engine sees it.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from azgraph.errors import InputError, PolicyError
from azgraph.query.sparqlvet import decode_escapes, tokens, vet_query
from azgraph.rdf.namespaces import SH

_RULES = "SHACL Advanced Features rules"
_TARGETS = "SHACL Advanced Features custom targets"
_FUNCTIONS = "SHACL Advanced Features functions"
_JS = "SHACL-JS"
_UNRUN_PREDICATES: dict[Node, str] = {  # in the order they are reported
    SH.rule: _RULES,
    SH.target: _TARGETS,
    SH.construct: _RULES,
    SH.condition: _RULES,
    SH.expression: "SHACL Advanced Features node expressions",
    SH.update: "SPARQL updates",
    SH.entailment: "entailment regimes",
}
_UNRUN_TYPES: dict[Node, str] = {
    SH.Rule: _RULES,
    SH.SPARQLRule: _RULES,
    SH.TripleRule: _RULES,
    SH.Target: _TARGETS,
    SH.TargetType: _TARGETS,
    SH.SPARQLTarget: _TARGETS,
    SH.SPARQLTargetType: _TARGETS,
    SH.Function: _FUNCTIONS,
    SH.SPARQLFunction: _FUNCTIONS,
}
_QUERY_FORMS: dict[Node, str] = {SH.select: "select", SH.ask: "ask"}
_UNSUPPORTED_VARIABLES = ("shapesGraph", "currentShape")
_PREFIX = re.compile(r"(?:[^\W\d_](?:[\w.\-\u00b7]*[\w\-\u00b7])?)?")
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.\-]*:[^<>"{}|^`\\\x00-\x20]*')


# The contents of the shapes graphs that passed, so that a graph `validate.load_shapes` vetted is
# not vetted again by `validate.validate_graph` (the library's own gate). Kept by content, not by
# object, so a graph changed after vetting is vetted again.
_PASSED: dict[frozenset[tuple[Node, Node, Node]], None] = {}
_PASSED_KEPT = 8


def vet_shapes_once(shapes: Graph, where: Path | str | None = None) -> None:
    """`vet_shapes`, skipped for a graph whose triples already passed in this process."""
    content = frozenset(shapes)
    if content in _PASSED:
        return
    vet_shapes(shapes, where)
    _PASSED[content] = None
    while len(_PASSED) > _PASSED_KEPT:
        del _PASSED[next(iter(_PASSED))]


def vet_shapes(shapes: Graph, where: Path | str | None = None) -> None:
    """Refuse a shapes graph that carries a query the gate refuses or a feature azgraph does
    not run; ``where`` (a file) prefixes the messages. Never fetches anything."""
    _refuse_unrun_features(shapes, where)
    _check_iris(shapes, where)
    prefixes = declared_prefixes(shapes, where)
    for node, predicate, text in shapes:
        if predicate in _QUERY_FORMS:
            vet_shape_query(shapes, node, predicate, text, prefixes, where)


def _refuse_unrun_features(shapes: Graph, where: Path | str | None) -> None:
    """The first unrun feature, looked for as a property before as a type, so that a rule is
    reported as sh:rule whichever of its triples rdflib yields first."""
    rank = {predicate: i for i, predicate in enumerate(_UNRUN_PREDICATES)}
    last = len(rank)
    found: list[tuple[int, str, Node]] = []
    for node, predicate, value in shapes:
        if predicate in _UNRUN_PREDICATES:
            feature = f"{_name(shapes, predicate)} ({_UNRUN_PREDICATES[predicate]})"
            found.append((rank[predicate], feature, node))
        elif _is_js(predicate):
            found.append((last, f"{_name(shapes, predicate)} ({_JS})", node))
        elif predicate == RDF.type and value in _UNRUN_TYPES:
            found.append((last + 1, f"{_name(shapes, value)} ({_UNRUN_TYPES[value]})", node))
        elif predicate == RDF.type and _is_js(value):
            found.append((last + 1, f"{_name(shapes, value)} ({_JS})", node))
    if found:
        _, feature, node = min(found, key=lambda item: (item[0], item[1], str(item[2])))
        raise PolicyError(
            f"{owner(shapes, node)} uses {feature}, which azgraph does not run",
            path=where,
            hint="Remove it.",
        )


def _is_js(term: Node) -> bool:
    """Whether ``term`` is a SHACL-JS term (sh:js, sh:jsLibrary, sh:JSConstraint, ...)."""
    if not isinstance(term, URIRef) or not str(term).startswith(str(SH)):
        return False
    return str(term)[len(str(SH)) :].startswith(("js", "JS"))


def _check_iris(shapes: Graph, where: Path | str | None) -> None:
    """Every IRI of the graph is one a query may hold: pySHACL pastes paths, prefixes and
    parameters into query text as ``<...>``, so a ``>`` or a space in one could end it."""
    for triple in shapes:
        for term in triple:
            if isinstance(term, URIRef) and not _IRI.fullmatch(str(term)):
                raise InputError(
                    f"the IRI <{str(term)[:80]}> is not an absolute IRI or holds a character "
                    "IRIs may not contain",
                    path=where,
                    hint='Fix the IRI (no spaces, <>"{}|^`\\).',
                )


def declared_prefixes(shapes: Graph, where: Path | str | None = None) -> dict[str, str]:
    """Every ``sh:declare`` of the graph (pySHACL reads those of every ontology, which is how
    owl:imports reach them), each prefix a SPARQL prefix name and each namespace an IRI."""
    found: dict[str, str] = {}
    for declaration in set(shapes.objects(None, SH.declare)):
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        if not isinstance(prefix, Literal) or not _PREFIX.fullmatch(str(prefix)):
            raise InputError(
                f"sh:prefix {prefix.n3() if prefix is not None else '(missing)'} of "
                f"{owner(shapes, declaration)} is not a SPARQL prefix name",
                path=where,
                hint='Write a name such as sh:prefix "ex".',
            )
        if namespace is None or not _IRI.fullmatch(str(namespace)):
            raise InputError(
                f"sh:namespace of prefix '{prefix}' in {owner(shapes, declaration)} is not an "
                'absolute IRI free of spaces and <>"{}|^`\\',
                path=where,
                hint='Write it as "http://..."^^xsd:anyURI.',
            )
        found[str(prefix)] = str(namespace)
    return found


def vet_shape_query(
    shapes: Graph,
    node: Node,
    predicate: Node,
    text: Node,
    prefixes: dict[str, str],
    where: Path | str | None,
) -> None:
    """One sh:select or sh:ask text through the query gate, as the local engines will run it."""
    shape = owner(shapes, node)
    label = f"{shape} {_name(shapes, predicate)}"
    label = f"{where}: {label}" if where else label
    form = vet_query(str(text), label, prefixes=prefixes, local=True)
    if form != _QUERY_FORMS[predicate]:
        raise InputError(
            f"{_name(shapes, predicate)} holds a {form.upper()} query",
            path=label,
            hint=f"Write a {_QUERY_FORMS[predicate].upper()} query there.",
        )
    for token in [*tokens(str(text)), *tokens(decode_escapes(str(text)))]:
        skipped = token.group("skip") or ""
        if skipped[:1] in ("?", "$") and skipped[1:] in _UNSUPPORTED_VARIABLES:
            name = skipped[1:]
            raise PolicyError(
                f"{shape} uses ${name} in a SPARQL query, which azgraph does not support",
                path=where,
                hint=f"Remove ${name}; write the shape's IRI or the pattern instead.",
            )


def owner(shapes: Graph, node: Node) -> str:
    """The named node that holds ``node`` (itself, or the nearest named subject above it)."""
    seen: set[Node] = set()
    level = [node]
    while level:
        for candidate in level:
            if isinstance(candidate, URIRef):
                return _name(shapes, candidate)
        seen.update(level)
        level = [s for n in level for s in shapes.subjects(None, n) if s not in seen][:50]
    return "an unnamed shape"


def _name(shapes: Graph, term: Node) -> str:
    return shapes.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)
