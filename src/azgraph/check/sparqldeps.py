"""Which changed triples can change a SPARQL query's answer for one focus node.

Why: incremental validation (incremental.py) re-runs a constraint only for the focus nodes a
change can reach. For a query whose answer is read per focus node (``?this`` of a SHACL-SPARQL
constraint, ``?focus`` of a check query), every triple a solution matches is tied to the focus
by a chain of the query's own mandatory patterns. So a changed triple matched by pattern P can
only matter to the focus nodes found by walking that chain back from P to the root variable;
`analyse` lists, for every triple pattern, the chain (as SPARQL text) to walk.

Soundness over precision: the chain may only use patterns that must hold whenever P matches
(P's own group and the groups that enclose it, never an OPTIONAL, UNION branch or EXISTS beside
it). A UNION of plain triple patterns in such a group is one step of a chain, as a whole, for a
variable every branch binds: whichever branch matched, the UNION holds. A pattern no chain
reaches, a sub-select, LIMIT, GRAPH, SERVICE, or a property path over a changed predicate raises
`UnboundedError`: the caller then re-runs that query in full, so the answer never depends on this
module's coverage. tests/check/test_incremental.py compares with full runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox


class UnboundedError(Exception):
    """The query's answer for a focus node may depend on triples far from it: run it in full."""


@dataclass(frozen=True)
class Dep:
    """One triple pattern: its constant parts, and how to walk from a match back to the root."""

    subject: Any  # a pyoxigraph term, or None for a variable
    predicate: Any  # a NamedNode, or None for a variable or a property path
    object: Any
    path_first: Any  # for a property path: the NamedNode of its first step, if simple
    path_iris: frozenset[str] | None  # for a property path: every IRI in it
    position: int  # 0 or 2: the position of the changed triple where the walk starts
    start: str  # the variable that position binds
    walk: str  # the patterns from the root to ``start`` ('' when ``start`` is the root)

    def start_of(self, triple: tuple[Any, Any, Any], predicates: set[str]) -> Any:
        """The term the walk starts from if ``triple`` can match this pattern, else None."""
        s, p, o = triple
        if self.subject is not None and s != self.subject:
            return None
        # a path's object is where the path ends, not the object of the triple its first step
        # reads: compare it only for a plain pattern
        if self.path_iris is None and self.object is not None and o != self.object:
            return None
        if self.path_iris is not None:
            dynamic = self.path_iris & predicates
            if not dynamic:
                return None  # the path reads no changed predicate: its answers did not change
            if self.path_first is None or dynamic != {self.path_first.value}:
                raise UnboundedError("a property path reads a changed predicate")
            # only the path's first step reads changed triples; it binds the path's subject
            return s if p == self.path_first else None
        if self.predicate is not None and p != self.predicate:
            return None
        return triple[self.position]


def analyse(text: str, root: str, *, bound: bool = False) -> list[Dep]:
    """Every triple pattern of ``text`` with its walk back to ``?root`` (see the module doc).

    With ``bound``, also require ``?root`` to be bound by a pattern of the outermost group, so
    that a VALUES block there (incremental.py) only filters the answer.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception as exc:  # rdflib cannot read it (e.g. an Oxigraph extension)
        raise UnboundedError(f"rdflib cannot analyse the query: {exc}") from exc
    if bound:
        top: list[Pattern] = []
        _collect(algebra, top, [], [], root, [])
        if not any(root in (_var(t[0]), _var(t[2])) for t in top):
            raise UnboundedError(f"?{root} is not bound by the outermost group")
    deps: list[Dep] = []
    _level(algebra, {root: []}, deps, root)
    return deps


Pattern = tuple[Any, Any, Any]
Step = Pattern | str  # a triple pattern, or a whole UNION as SPARQL text
Walks = dict[str, list[Step]]


def _level(node: Any, outer: Walks, deps: list[Dep], root: str) -> None:
    """Analyse one group: its mandatory patterns extend the walks; nested groups see them."""
    triples: list[Pattern] = []
    nested: list[Any] = []
    expressions: list[Any] = []
    unions: list[Any] = []
    _collect(node, triples, nested, expressions, root, unions)
    branches = [_branches(union) for union in unions]
    env = dict(outer)
    changed = True
    while changed:
        changed = False
        for pattern in triples:
            s, _, o = (_var(t) for t in pattern)
            for here, there in ((s, o), (o, s)):
                if here in env and there is not None and there not in env:
                    env[there] = [*env[here], pattern]
                    changed = True
        for parts in branches:
            changed = _through_union(parts, env) or changed
    for pattern in triples:
        deps.append(_dep(pattern, env))
    for group in [*nested, *(branch for parts in branches for branch in parts)]:
        _level(group, env, deps, root)
    for expression in expressions:
        for group in _exists_groups(expression):
            _level(group, env, deps, root)


def _through_union(branches: list[Any], env: Walks) -> bool:
    """Extend ``env`` by a mandatory UNION to each variable that every branch binds, if every
    branch is plain triple patterns that touch a walked variable; True if it grew."""
    patterns: list[list[Pattern]] = []
    for branch in branches:
        triples: list[Pattern] = []
        others: list[Any] = []
        _collect(branch, triples, others, others, "", others)
        if others or not triples:
            return False
        patterns.append(triples)
    bound = [
        {v for t in part for v in (_var(t[0]), _var(t[2])) if v is not None} for part in patterns
    ]
    anchors = sorted(set.union(*bound) & env.keys())
    if not anchors or any(not (names & env.keys()) for names in bound):
        return False
    new = sorted(set.intersection(*bound) - env.keys())
    if not new:
        return False
    step = " UNION ".join("{ " + " ".join(_sparql(t) for t in part) + " }" for part in patterns)
    walk: list[Step] = []
    for anchor in anchors:
        walk.extend(s for s in env[anchor] if s not in walk)
    for name in new:
        env[name] = [*walk, step]
    return True


def _branches(union: Any) -> list[Any]:
    """The branches of ``{ A } UNION { B } UNION { C }`` (rdflib nests them to the left)."""
    found: list[Any] = []
    for part in (union.p1, union.p2):
        if getattr(part, "name", None) == "Union":
            found.extend(_branches(part))
        else:
            found.append(part)
    return found


def _collect(
    node: Any,
    triples: list[Pattern],
    nested: list[Any],
    expressions: list[Any],
    root: str,
    unions: list[Any],
) -> None:
    """Sort one group's parts: mandatory ``triples``, ``nested`` groups that may not match
    (OPTIONAL, MINUS), ``expressions`` (FILTER, BIND) and mandatory ``unions``."""
    name = getattr(node, "name", None)
    if name in ("BGP", "TriplesBlock"):  # TriplesBlock: inside an untranslated EXISTS group
        triples.extend(tuple(t) for t in node.triples)
    elif name == "Join":
        _collect(node.p1, triples, nested, expressions, root, unions)
        _collect(node.p2, triples, nested, expressions, root, unions)
    elif name == "GroupGraphPatternSub":  # an EXISTS group rdflib left untranslated
        from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

        _collect(translateGroupGraphPattern(node), triples, nested, expressions, root, unions)
    elif name == "LeftJoin":
        _collect(node.p1, triples, nested, expressions, root, unions)
        nested.append(node.p2)
        expressions.append(node.expr)
    elif name == "Union":
        unions.append(node)
    elif name == "Minus":
        _collect(node.p1, triples, nested, expressions, root, unions)
        nested.append(node.p2)
    elif name in ("Filter", "Extend"):
        _collect(node.p, triples, nested, expressions, root, unions)
        expressions.append(node.expr)
    elif name in ("Project", "Distinct", "Reduced", "OrderBy", "AggregateJoin", "SelectQuery"):
        _collect(node.p, triples, nested, expressions, root, unions)
    elif name == "Group":
        keys = [str(k) for k in (node.expr or [])]
        if root not in keys:
            raise UnboundedError("a GROUP BY without the focus variable mixes focus nodes")
        _collect(node.p, triples, nested, expressions, root, unions)
    elif name in ("values", "ToMultiSet") and _is_inline_data(node):
        return  # constants only
    else:
        raise UnboundedError(f"cannot analyse {name}")


def _is_inline_data(node: Any) -> bool:
    return node.name == "values" or getattr(node.p, "name", None) == "values"


def _exists_groups(expression: Any) -> list[Any]:
    """The graph patterns of every EXISTS / NOT EXISTS inside an expression."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[Any] = []
    stack = [expression]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                found.append(item.graph)
                continue
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def _var(term: Any) -> str | None:
    """The variable name a pattern position binds (blank nodes in a query are variables)."""
    from rdflib import BNode, Variable

    if isinstance(term, Variable):
        return str(term)
    if isinstance(term, BNode):
        return f"azgraphBlank{term}"
    return None


def _dep(pattern: Pattern, env: Walks) -> Dep:
    from rdflib import URIRef
    from rdflib.paths import Path, SequencePath

    s, p, o = pattern
    reached = [(len(env[v]), pos, v) for pos, v in ((0, _var(s)), (2, _var(o))) if v in env]
    if not reached:
        raise UnboundedError("a pattern is not tied to the focus node")
    _, position, start = min(reached)
    path_first = path_iris = None
    predicate = None
    if isinstance(p, Path):
        path_iris = frozenset(str(i) for i in _path_iris(p))
        if isinstance(p, SequencePath) and isinstance(p.args[0], URIRef) and position == 0:
            first, rest = p.args[0], [i for part in p.args[1:] for i in _path_iris(part)]
            if first not in rest:
                path_first = ox.NamedNode(str(first))
    elif isinstance(p, URIRef):
        predicate = ox.NamedNode(str(p))
    return Dep(
        subject=_constant(s),
        predicate=predicate,
        object=_constant(o),
        path_first=path_first,
        path_iris=path_iris,
        position=position,
        start=start,
        walk=" ".join(step if isinstance(step, str) else _sparql(step) for step in env[start]),
    )


def _path_iris(path: Any) -> list[Any]:
    from rdflib import URIRef

    if isinstance(path, URIRef):
        return [path]
    found = []
    for attr in ("args", "path", "paths"):
        value = getattr(path, attr, None)
        if value is None:
            continue
        for part in value if isinstance(value, list | tuple) else [value]:
            found.extend(_path_iris(part))
    return found


def _constant(term: Any) -> Any:
    if _var(term) is not None:
        return None
    from azgraph.rdf.terms import to_oxigraph

    return to_oxigraph(term)


def _sparql(pattern: Pattern) -> str:
    return " ".join(_term(t) for t in pattern) + " ."


def _term(term: Any) -> str:
    name = _var(term)
    if name is not None:
        return f"?{name}"
    return str(term.n3())
