"""SHACL-SPARQL constraints of node shapes, run as whole-graph queries on pyoxigraph.

Why: pySHACL runs each SPARQL constraint once per focus node through rdflib's SPARQL engine,
which took minutes on our ten-thousand-triple graph. A constraint on a node shape means "for each
focus node, bind $this and select the violations"; putting the shape's targets (as a sub-select of
?this) at the head of the constraint's WHERE group, and the rest in a LATERAL group, gives exactly
those solutions in one query, because every pattern and FILTER of the body sees ?this already
bound, as pre-binding requires. Constraints on property shapes ($PATH) stay with pySHACL.
tests/check/test_fastshacl.py checks that the results equal pySHACL's on every fixture of these
shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from azgraph.errors import InputError
from azgraph.rdf.namespaces import SH, short
from azgraph.rdf.prefixes import PREFIXES
from azgraph.severity import from_shacl


@dataclass(frozen=True)
class SparqlConstraint:
    shape: Node
    node: Node
    query: str
    message: str | None
    severity: str
    prefixes: dict[str, str]


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """A copy of ``shapes`` without node-shape SPARQL constraints, and those constraints."""
    remaining = Graph(bind_namespaces="none")
    for prefix, ns in shapes.namespaces():
        remaining.bind(prefix, ns)
    constraints: list[SparqlConstraint] = []
    taken: set[tuple[Node, Node]] = set()
    for shape, node in shapes.subject_objects(SH.sparql):
        if (shape, SH.path, None) in shapes:
            continue  # property shape: $PATH semantics, leave it to pySHACL
        if shapes.value(node, SH.deactivated) == Literal(True):
            taken.add((shape, node))
            continue
        select = shapes.value(node, SH.select)
        if select is None:
            continue
        check_prebinding(str(select), shapes, shape)
        targets = target_pattern(shapes, shape)
        declared = shapes.value(shape, SH.severity)
        severity = from_shacl(declared if isinstance(declared, URIRef) else None)
        message = shapes.value(node, SH.message) or shapes.value(shape, SH.message)
        prefixes = dict(PREFIXES)
        for decl_owner in _imported(shapes, shapes.objects(node, SH.prefixes)):
            for decl in shapes.objects(decl_owner, SH.declare):
                prefixes[str(shapes.value(decl, SH.prefix))] = str(shapes.value(decl, SH.namespace))
        constraints.append(
            SparqlConstraint(
                shape,
                node,
                _global_query(str(select), targets, shape),
                str(message) if message is not None else None,
                severity,
                prefixes,
            )
        )
        taken.add((shape, node))
    for triple in shapes:
        if triple[1] == SH.sparql and (triple[0], triple[2]) in taken:
            continue
        remaining.add(triple)
    return remaining, constraints


def _imported(shapes: Graph, owners: object) -> list[Node]:
    """The nodes of ``owners`` and every node they reach by owl:imports in this graph, as
    SHACL-SPARQL reads sh:prefixes (nothing is fetched: an import outside the graph adds
    nothing)."""
    found: list[Node] = []
    todo = list(owners)  # type: ignore[call-overload]
    while todo:
        node = todo.pop()
        if node not in found:
            found.append(node)
            todo.extend(shapes.objects(node, OWL.imports))
    return found


_REFUSED_WORDS = {"MINUS": "MINUS", "VALUES": "VALUES", "SERVICE": "SERVICE (federated query)"}


def check_prebinding(select: str, shapes: Graph, shape: Node) -> None:
    """Refuse what SHACL-SPARQL forbids in a constraint because $this could not be pre-bound
    there (section 5.3.1): MINUS, VALUES, SERVICE, `AS $this`, and a sub-select that does not
    project $this."""
    from azgraph.query.sparqlvet import tokens

    items = [
        ((m.group("word") or "").upper(), m.group("skip") or (m.group("other") or "").strip())
        for m in tokens(select)
    ]
    items = [(word, name) for word, name in items if word or name]
    why = ""
    for i, (word, _) in enumerate(items):
        if word in _REFUSED_WORDS:
            why = f"uses {_REFUSED_WORDS[word]}"
        elif word == "AS" and i + 1 < len(items) and items[i + 1][1][1:] == "this":
            why = "binds $this with AS"
        elif word == "SELECT" and i > 0 and not _projects_this(items[i + 1 :]):
            why = "has a sub-select that does not project $this"
        if why:
            name = (
                shapes.namespace_manager.normalizeUri(shape) if isinstance(shape, URIRef) else shape
            )
            raise InputError(
                f"the SHACL-SPARQL constraint of {name} {why}, which SHACL forbids because "
                "$this could not be pre-bound",
                hint="Rewrite the query without it (SHACL 5.3.1).",
            )


def _projects_this(rest: list[tuple[str, str]]) -> bool:
    for word, name in rest:
        if word == "WHERE" or name == "{":
            return False
        if name[:1] in "?$" and name[1:] == "this":
            return True
    return False


# How every `target_pattern` begins: incremental.py restricts the targets to given focus nodes
# by inserting a block right after it.
TARGETS_START = "{ SELECT DISTINCT ?this WHERE { "


def target_pattern(shapes: Graph, shape: Node) -> str:
    """The focus nodes of ``shape`` as a sub-select of ?this (targets in sorted order, so that
    the text is the same in every process: incremental.py matches results by it)."""
    parts: list[str] = []
    for cls in sorted(shapes.objects(shape, SH.targetClass), key=str):
        parts.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {cls.n3()} }}")
    if (shape, RDF.type, RDFS.Class) in shapes:
        parts.append(f"{{ ?this <{RDF.type}> {shape.n3()} }}")
    for prop in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ ?this {prop.n3()} ?azgraphTargetObject }}")
    for prop in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ ?azgraphTargetSubject {prop.n3()} ?this }}")
    for node in sorted(shapes.objects(shape, SH.targetNode), key=str):
        parts.append(f"{{ VALUES ?this {{ {node.n3()} }} }}")
    if not parts:
        return ""
    return TARGETS_START + " UNION ".join(parts) + " } }"


_THIS = re.compile(r"\$this\b")
_WHERE_BRACE = re.compile(r"(?i)\bWHERE\s*\{")


def _global_query(select: str, targets: str, shape: Node) -> str:
    """The constraint as one query over all focus nodes: targets first, then the body.

    The body goes in a ``LATERAL`` group (Oxigraph's SEP-0006 join), which evaluates it once per
    focus node with ``?this`` bound, as SHACL's pre-binding asks; a plain join let Oxigraph
    evaluate the body over the whole graph first (4 s instead of 2 s for one shape on a million
    triples). Bodies with MINUS keep the plain join: MINUS shares no variable with a bound one.
    """
    text = _THIS.sub("?this", select)
    match = _WHERE_BRACE.search(text)
    if match is None:
        raise InputError(
            "a SHACL-SPARQL constraint has no WHERE clause",
            hint=f"Fix the constraint of shape {shape.n3()}.",
        )
    if not targets:
        targets = "FILTER (false)"
    head, rest = text[: match.end()], text[match.end() :]
    close = closing_brace(rest)
    if close is None or re.search(r"(?i)\bMINUS\b", rest[:close]):
        return f"{head}\n  {targets}\n{rest}"
    return f"{head}\n  {targets}\n  LATERAL {{{rest[:close]}}}\n{rest[close:]}"


def closing_brace(text: str) -> int | None:
    """Where the group that ``text`` is inside of closes, or None if it does not (braces in
    strings, IRIs and comments do not count: they are inside other tokens)."""
    from azgraph.query.sparqlvet import tokens

    depth = 1
    for token in tokens(text):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
            if depth == 0:
                return token.start()
    return None


def run_constraints(
    store: object, constraints: list[SparqlConstraint]
) -> list[tuple[SparqlConstraint, dict[str, Node]]]:
    """Every violation: the constraint and the row of bindings that reports it."""
    from azgraph.rdf.store import to_rdflib

    found: list[tuple[SparqlConstraint, dict[str, Node]]] = []
    for constraint in constraints:
        try:
            answer = store.query(constraint.query, prefixes=constraint.prefixes)  # type: ignore[attr-defined]
        except SyntaxError as exc:  # e.g. a prefix no sh:prefixes declares
            raise InputError(
                f"the SHACL-SPARQL constraint of {short(constraint.shape)} cannot be parsed: "
                f"{str(exc).splitlines()[0]}",
                hint="Fix the query, or declare its prefixes with sh:prefixes and sh:declare.",
            ) from exc
        names = [v.value for v in answer.variables]
        seen: set[tuple[object, ...]] = set()
        for solution in answer:
            # equal rows are one result, as in pySHACL (a UNION can reach a value twice)
            key = tuple(solution[name] for name in names)
            if key in seen:
                continue
            seen.add(key)
            row: dict[str, Node] = {}
            for name in names:
                term = to_rdflib(solution[name])
                if term is not None:
                    row[name] = term
            found.append((constraint, row))
    return found


def format_message(template: str | None, row: dict[str, Node]) -> str:
    """Fill ``{?var}`` and ``{$var}`` placeholders of an sh:message, as SHACL-SPARQL does."""
    if template is None:
        return "SPARQL constraint violated"

    def sub(match: re.Match[str]) -> str:
        value = row.get(match.group(1))
        return short(value) if value is not None else match.group(0)

    return re.sub(r"\{[?$](\w+)\}", sub, template)
