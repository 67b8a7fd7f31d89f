"""SHACL core constraints compiled to whole-graph SPARQL queries and run on pyoxigraph.

Why: pySHACL walks every focus node in Python over rdflib, which took ~7 s on our 10k-triple
graph and about a minute at a million triples. Each supported constraint of a property shape
becomes one query that selects exactly its violations ("for each target ?this, each value
?value of the path, the condition fails"), so the work is done by pyoxigraph's joins.

Supported (the components our shapes use): targets (class, subjectsOf, objectsOf, node, implicit
class); property shapes with an IRI path carrying sh:class, sh:datatype, sh:minCount,
sh:maxCount, sh:in, sh:pattern (+ sh:flags), sh:minLength, sh:maxLength, sh:uniqueLang,
sh:minInclusive/minExclusive/maxInclusive/maxExclusive, sh:disjoint and sh:or; sh:or on node
shapes; sh:message, sh:severity and sh:deactivated. `compile_shapes` returns None when a shapes
graph uses anything else, and `validate.validate_graph` then hands the core constraints to
pySHACL, so the result never depends on this module's coverage. Messages are pySHACL's own,
so both engines print the same report (tests/check/test_fastshacl.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from azgraph.check.rewrites import ALL_KINDS, reads_rewritten
from azgraph.check.shaclmessages import (
    const,
    data_text,
    focus_message,
    or_message,
    shown,
    shown_list,
    use_data_prefixes,
    value_message,
)
from azgraph.check.sparqlshapes import target_pattern
from azgraph.rdf.namespaces import SH
from azgraph.rdf.terms import from_oxigraph
from azgraph.severity import from_shacl

_IGNORED = {RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
NODE_PARAMS = {
    RDF.type,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.property,
    SH["or"],
    SH.message,
    SH.severity,
    SH.deactivated,
} | _IGNORED
PROPERTY_PARAMS = {
    SH.path,
    SH["class"],
    SH.datatype,
    SH.minCount,
    SH.maxCount,
    SH["in"],
    SH.pattern,
    SH.flags,
    SH.minLength,
    SH.maxLength,
    SH.uniqueLang,
    SH.minInclusive,
    SH.minExclusive,
    SH.maxInclusive,
    SH.maxExclusive,
    SH.disjoint,
    SH["or"],
    SH.message,
    SH.severity,
    SH.deactivated,
    RDF.type,
} | _IGNORED
_COMPARE = {
    SH.minInclusive: ">=",
    SH.minExclusive: ">",
    SH.maxInclusive: "<=",
    SH.maxExclusive: "<",
}
_TYPE_OF = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_WELL_FORMED = {
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.decimal: re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
}


class UnsupportedShapeError(Exception):
    """The shapes use a feature this engine does not compile; pySHACL must run them."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query for its candidate violations and how to report them."""

    shape: Node  # the property shape (or node shape) that reports: its sh:sourceShape
    component: str
    query: str
    path: Node | None
    severity: str
    messages: tuple[str, ...]
    generic: Callable[[Any, Any], str]  # (focus, value) as rdflib terms -> pySHACL's message
    keep: Callable[[Any], bool] | None = None  # a Python test on ?value for what SPARQL cannot


def compile_shapes(
    shapes: Graph, data_prefixes: Iterable[tuple[str, Any]] = ()
) -> list[Check] | None:
    """The core constraints of every node shape as queries, or None if any is unsupported."""
    checks, fallbacks, _ = compile_each(shapes, data_prefixes)
    return None if fallbacks else checks


def compile_each(
    shapes: Graph,
    data_prefixes: Iterable[tuple[str, Any]] = (),
    rewritten: Mapping[Any, frozenset[str]] | frozenset[Node] = frozenset(),
) -> tuple[list[Check], dict[Node, str], list[Node]]:
    """The compiled checks of every node shape this engine can run, the others (those
    with targets: a shape without any is only run through another) with why, each to be run
    as a whole by pySHACL, and the node shapes compiled. ``rewritten`` maps the predicates
    whose literals the store holds in canonical form only to how it rewrote them
    (`store.rewrite_kinds`; a plain set means every kind): shapes with a constraint that
    depends on such a rewrite need the original terms (check/rewrites.py).

    Messages print data nodes with the data's prefixes (as pySHACL does) when given, else
    with the project's and the shapes' prefixes.
    """
    use_data_prefixes([*data_prefixes, *shapes.namespaces()])
    referenced = _referenced(shapes)
    checks: list[Check] = []
    fallbacks: dict[Node, str] = {}
    compiled: list[Node] = []
    for shape in sorted(_node_shapes(shapes), key=str):
        if not target_pattern(shapes, shape) or _is_true(shapes.value(shape, SH.deactivated)):
            continue
        try:
            if shape in referenced:
                raise UnsupportedShapeError("another shape uses it (sh:node, sh:not, ...)")
            _check_literals(shapes, shape, rewritten)
            checks.extend(_compile_node_shape(shapes, shape))
            compiled.append(shape)
        except UnsupportedShapeError as exc:
            fallbacks[shape] = str(exc)
    return checks, fallbacks, compiled


def _referenced(shapes: Graph) -> set[Node]:
    """Shapes that other shapes use as a whole: pySHACL must see them active."""
    found: set[Node] = set()
    for pred in (SH.node, SH["not"], SH.qualifiedValueShape):
        found |= set(shapes.objects(None, pred))
    for pred in (SH["and"], SH["or"], SH.xone):
        for members in shapes.objects(None, pred):
            found |= set(shapes.items(members))
    return found


def _check_literals(
    shapes: Graph, shape: Node, rewritten: Mapping[Any, frozenset[str]] | frozenset[Node]
) -> None:
    """Refuse a shape with a constraint that depends on how the store rewrote literals."""
    kinds = rewritten if isinstance(rewritten, Mapping) else dict.fromkeys(rewritten, ALL_KINDS)
    why = reads_rewritten(shapes, shape, kinds)
    if why:
        raise UnsupportedShapeError(why)


def _name(shapes: Graph, term: Node) -> str:
    return shapes.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)


def _node_shapes(shapes: Graph) -> set[Node]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        found |= set(shapes.subjects(pred, None))
    found |= {s for s in shapes.subjects(SH.property, None)}
    return found


def _is_true(value: Node | None) -> bool:
    """Only "true" is true: SHACL does not activate a parameter set to "1"^^xsd:boolean."""
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"


def _compile_node_shape(shapes: Graph, shape: Node) -> list[Check]:
    for pred in set(shapes.predicates(shape, None)):
        if pred not in NODE_PARAMS:
            raise UnsupportedShapeError(f"uses {_name(shapes, pred)}")
    if _is_true(shapes.value(shape, SH.deactivated)):
        return []
    targets = target_pattern(shapes, shape)
    if not targets:
        return []
    checks = []
    for or_list in shapes.objects(shape, SH["or"]):
        cond = " || ".join(_member(shapes, m, "?this") for m in shapes.items(or_list))
        checks.append(
            _check(shapes, shape, "Or", f"{{ {targets} FILTER (!({cond})) }}", None, value="?this")
        )
        _set_generic(checks, or_message(shapes, or_list))
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        checks.extend(_compile_property(shapes, prop, targets))
    return checks


def _compile_property(shapes: Graph, prop: Node, targets: str) -> list[Check]:
    for pred in set(shapes.predicates(prop, None)):
        if pred not in PROPERTY_PARAMS:
            raise UnsupportedShapeError(f"a property shape uses {_name(shapes, pred)}")
    if _is_true(shapes.value(prop, SH.deactivated)):
        return []
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShapeError("a property shape has a path that is not a single IRI")
    p = path.n3()
    pair = f"{{ {targets} ?this {p} ?value ."
    checks: list[Check] = []

    def add(component: str, body: str, generic: Callable[[Any, Any], str], **kw: Any) -> None:
        checks.append(_check(shapes, prop, component, body, path, **kw))
        _set_generic(checks, generic)

    for cls in shapes.objects(prop, SH["class"]):
        text = shown(shapes, "Value does not have class {}", cls)
        add("Class", f"{pair} FILTER NOT EXISTS {{ ?value {_TYPE_OF} {cls.n3()} }} }}", text)
    for dt in shapes.objects(prop, SH.datatype):
        if dt in (RDFS.Literal, RDFS.Datatype) or not isinstance(dt, URIRef):
            raise UnsupportedShapeError(f"sh:datatype {_name(shapes, dt)}")
        text = shown(shapes, "Value is not Literal with datatype {}", dt)
        cond = f"!isLiteral(?value) || !sameTerm(datatype(?value), {dt.n3()})"
        if dt == RDF.langString:
            cond = "!isLiteral(?value) || lang(?value) = ''"
        add("Datatype", f"{pair} FILTER ({cond}) }}", text)
        if dt in _WELL_FORMED or (isinstance(dt, URIRef) and str(dt).startswith(str(XSD))):
            if dt != XSD.string:
                body = f"{pair} FILTER (sameTerm(datatype(?value), {dt.n3()})) }}"
                add("Datatype", body, text, keep=_ill_typed(dt))
    for count in shapes.objects(prop, SH.minCount):
        n = int(str(count))
        body = f"{{ {targets} OPTIONAL {{ ?this {p} ?value }} }} GROUP BY ?this "
        body += f"HAVING (COUNT(?value) < {n})"
        less = shown(shapes, "Less than " + str(n) + " values on {{}}->{}", path)
        add("MinCount", body, focus_message(less))
    for count in shapes.objects(prop, SH.maxCount):
        n = int(str(count))
        body = f"{{ {targets} ?this {p} ?value }} GROUP BY ?this HAVING (COUNT(?value) > {n})"
        more = shown(shapes, "More than " + str(n) + " values on {{}}->{}", path)
        add("MaxCount", body, focus_message(more))
    for members in shapes.objects(prop, SH["in"]):
        items = list(shapes.items(members))
        cond = " || ".join(f"sameTerm(?value, {i.n3()})" for i in items) or "false"
        in_vals = set()  # pySHACL lists the values of a set: its message uses the set's order
        for item in items:
            in_vals.add(item)
        listed = shown_list(shapes, "Value {{}} not in list {}", in_vals)
        add("In", f"{pair} FILTER (!({cond})) }}", value_message(listed))
    for pattern in shapes.objects(prop, SH.pattern):
        flags = str(shapes.value(prop, SH.flags) or "")
        regex = re.compile(str(pattern), _py_flags(flags))
        text = const(f"Value does not match pattern '{pattern}'")
        add("Pattern", f"{pair} }}", text, keep=lambda v, r=regex: _no_match(v, r))
    for key, op in ((SH.minLength, "<"), (SH.maxLength, ">")):
        for length in shapes.objects(prop, key):
            n = int(str(length))
            word = ">=" if key == SH.minLength else "<="
            cond = f"isBlank(?value) || STRLEN(STR(?value)) {op} {n}"
            body = f"{pair} FILTER ({cond}) }}"
            name = "MinLength" if key == SH.minLength else "MaxLength"
            add(name, body, shown(shapes, f"String length not {word} " + "{}", length))
    for unique in shapes.objects(prop, SH.uniqueLang):
        if _is_true(unique):
            body = (
                f"{{ {targets} ?this {p} ?value, ?other . FILTER (!sameTerm(?value, ?other) "
                "&& lang(?value) != '' && LCASE(lang(?value)) = LCASE(lang(?other))) } "
                "GROUP BY ?this (LCASE(lang(?value)) AS ?language)"
            )
            add("UniqueLang", body, const("More than one String shares the same Language"))
    for key, op in _COMPARE.items():
        for bound in shapes.objects(prop, key):
            body = f"{pair} FILTER (!COALESCE(?value {op} {bound.n3()}, false)) }}"
            name = str(key).rsplit("#", 1)[1]
            text = shown(shapes, f"Value is not {op} " + "{}", bound)
            add(name[0].upper() + name[1:], body, text)
    for other in shapes.objects(prop, SH.disjoint):
        body = f"{pair} ?this {other.n3()} ?value }}"
        pre = shown(shapes, "Value of {{}}->{} == {{}}", other)
        add("Disjoint", body, lambda f, v, t=pre: t(f, v).format(data_text(f), data_text(v)))  # type: ignore[misc]
    for or_list in shapes.objects(prop, SH["or"]):
        cond = " || ".join(_member(shapes, m, "?value") for m in shapes.items(or_list))
        add("Or", f"{pair} FILTER (!({cond})) }}", or_message(shapes, or_list))
    return checks


def _check(
    shapes: Graph,
    shape: Node,
    component: str,
    body: str,
    path: Node | None,
    *,
    value: str = "?value",
    keep: Callable[[Any], bool] | None = None,
) -> Check:
    # GROUP BY queries report focus nodes only (counts, languages): no sh:value, as in pySHACL
    if "GROUP BY" in body:
        projection = "?this"
    elif value == "?value":
        projection = "?this ?value"
    else:
        projection = f"?this ({value} AS ?value)"
    query = f"SELECT {projection} WHERE {body}"
    severity = from_shacl(shapes.value(shape, SH.severity))
    messages = tuple(sorted(str(m) for m in shapes.objects(shape, SH.message)))
    return Check(shape, component, query, path, severity, messages, const(""), keep)


def _set_generic(checks: list[Check], generic: Callable[[Any, Any], str]) -> None:
    last = checks[-1]
    checks[-1] = Check(
        last.shape,
        last.component,
        last.query,
        last.path,
        last.severity,
        last.messages,
        generic,
        last.keep,
    )


def _member(shapes: Graph, member: Node, var: str) -> str:
    """A member shape of sh:or as a SPARQL condition on ``var``: class, or path + minCount 1."""
    preds = set(shapes.predicates(member, None)) - _IGNORED - {RDF.type}
    if preds == {SH["class"]}:
        cls = shapes.value(member, SH["class"])
        return f"EXISTS {{ {var} {_TYPE_OF} {cls.n3()} }}"  # type: ignore[union-attr]
    if preds == {SH.path, SH.minCount}:
        path = shapes.value(member, SH.path)
        if isinstance(path, URIRef) and int(str(shapes.value(member, SH.minCount))) == 1:
            return f"EXISTS {{ {var} {path.n3()} [] }}"
    raise UnsupportedShapeError("an sh:or member is more than sh:class or sh:path + sh:minCount 1")


def _py_flags(flags: str) -> int:
    mapping = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
    result = 0
    for char in flags:
        result |= mapping.get(char, 0)
    return result


def _no_match(value: Any, regex: re.Pattern[str]) -> bool:
    import pyoxigraph as ox

    if isinstance(value, ox.BlankNode):
        return True
    return regex.search(value.value) is None


def _ill_typed(datatype: Node) -> Callable[[Any], bool]:
    quick = _WELL_FORMED.get(datatype)  # type: ignore[call-overload]

    def ill(value: Any) -> bool:
        if quick is not None and quick.fullmatch(value.value):
            return False
        return bool(Literal(value.value, datatype=str(datatype)).ill_typed)

    return ill


def run_checks(store: Any, checks: list[Check]) -> list[tuple[Check, Node, Node | None, str]]:
    """Every violation as (check, focus, value, message), terms converted to rdflib."""
    found = []
    for check in checks:
        answer = store.query(check.query)
        has_value = any(v.value == "value" for v in answer.variables)
        for solution in answer:
            value = solution["value"] if has_value else None
            if check.keep is not None and not check.keep(value):
                continue
            focus = from_oxigraph(solution["this"])
            rvalue = from_oxigraph(value) if value is not None else None
            messages = check.messages or (check.generic(focus, rvalue),)
            for message in messages:
                found.append((check, focus, rvalue, message))
    return found


__all__ = [
    "BNode",
    "Check",
    "UnsupportedShapeError",
    "compile_each",
    "compile_shapes",
    "run_checks",
]
