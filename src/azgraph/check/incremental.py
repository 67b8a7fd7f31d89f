"""Incremental validation: after some data files change, re-check only what they can affect.

Why: at ten million triples a full validation takes minutes, most of it loading the dumps and
running every constraint over the whole graph, while an edit to one seed changes a few thousand
triples. ``azgraph validate --incremental`` keeps, in the cache, an on-disk store of the graph
(each file in its own named graph, for bookkeeping, and all of them merged in the default graph,
which the constraints read) and the results of every constraint. The next run diffs each changed
file against its named graph, applies the difference, and re-runs each constraint only for the
focus nodes the changed triples can reach:

- compiled core constraints (fastshacl.py) read a focus node's own triples, the targets and the
  types of its values: so the subjects and objects of the changed triples and the nodes that
  point at their subjects;
- SHACL-SPARQL constraints and check queries: the nodes found by walking back from each changed
  triple along the query's own patterns (sparqldeps.py); a query it cannot bound runs in full.

Old results of the re-checked focus nodes are replaced, the rest are kept. The report equals a
full validation's (tests/check/test_incremental.py). A change to the shapes, the check queries, the
code or the library versions starts a new state; so does a change to more than a third of the
graph, where a full run is faster. Blank nodes keep the labels of the files (azgraph build
writes unique ones), so results naming them are comparable between runs; files that share a
label would merge two nodes, and are validated in full instead.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from azgraph.check.incrementalstate import (
    STATE,
    VERSION,
    changed_files,
    decode_result,
    file_names,
    file_size,
    read_state,
    write_state,
)
from azgraph.check.registry import query_results
from azgraph.check.report import Report, Result
from azgraph.check.sparqldeps import Dep, UnboundedError, analyse
from azgraph.check.sparqlshapes import TARGETS_START
from azgraph.check.validate import (
    constraint_results,
    fast_results,
    finish_report,
)
from azgraph.rdf.store import load_labelled, parse_labelled, rewrite_kinds, rewrites_in

_CANONICAL = "a shape reads literals the store keeps only in canonical form (xsd:int, 1.50, ...)"
ANALYSES = "azgraph-analyses.json"  # beside the store's own files
_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_BLANK = ox.NamedNode("urn:azgraph:blank")  # a function: the stored blank node with a label
_FULL_SHARE = 1 / 3  # above this share of the graph's bytes changed, a full run is faster


@dataclass
class Unit:
    """One thing that reports results: a compiled core constraint, a SHACL-SPARQL constraint
    or a check query. ``deps`` (SPARQL units) comes from the analyses the full run kept, else
    is made when first needed; ``unbounded`` says the analysis found it must run in full."""

    kind: str  # "core", "sparql" or "check"
    item: Any
    analysis: str = ""
    root: str = "this"
    deps: list[Dep] | None = None
    key: str = ""  # what it runs: how the state's results find their unit
    unbounded: bool = False  # its analysis found it cannot be re-run for some focus nodes


class _Store:
    """A store whose queries can name stored blank nodes (by label, see `focus_block`)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, text: str, **options: Any) -> Any:
        options.setdefault("custom_functions", {_BLANK: lambda label: ox.BlankNode(label.value)})
        return self.store.query(text, **options)

    def quads_for_pattern(self, *pattern: Any) -> Any:
        return self.store.quads_for_pattern(*pattern)


def make_units(shapes: Any, checks: list[Any]) -> list[Unit] | None:
    """Every unit of work of the fast engine, or None if fastshacl cannot compile the shapes."""
    from azgraph.check.fastshacl import compile_shapes
    from azgraph.check.shapegate import vet_shapes_once
    from azgraph.check.sparqlshapes import split_sparql_constraints
    from azgraph.query.sparqlvet import vet_query
    from azgraph.rdf.namespaces import SH

    vet_shapes_once(shapes)  # before sparqldeps hands any of their text to rdflib's parser
    for query in checks:
        vet_query(query.text, query.path or query.name, local=True)
    core, constraints = split_sparql_constraints(shapes)
    compiled = compile_shapes(core, ())
    if compiled is None:
        return None
    units = [Unit("core", check) for check in compiled]
    for constraint in constraints:
        select = str(shapes.value(constraint.node, SH.select))
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(constraint.prefixes.items()))
        units.append(Unit("sparql", constraint, head + select, "this"))
    units.extend(Unit("check", query, query.text, "focus") for query in checks)
    for unit in units:
        unit.key = _unit_key(unit, shapes)
    # shapes come in rdflib's hash order, which changes between processes: the state's results
    # are matched to units by what they run, not by position
    return sorted(units, key=lambda unit: unit.key)


def _unit_key(unit: Unit, shapes: Any) -> str:
    from azgraph.check.report import shape_name

    item = unit.item
    if unit.kind == "core":
        parts = [item.query, item.component, str(item.path), item.severity, *item.messages]
        return json.dumps(["core", shape_name(item.shape, shapes), *parts])
    if unit.kind == "sparql":
        parts = [item.query, str(item.message), item.severity]
        return json.dumps(["sparql", shape_name(item.shape, shapes), *parts])
    return json.dumps(["check", item.name, item.text])


def state_folder(
    cache: Path, files: list[Path], shape_files: list[Path], checks: list[Any]
) -> Path:
    """Where the state for this project, these shapes and checks and this code lives."""
    import pyoxigraph
    import rdflib

    from azgraph.cache import blake2b
    from azgraph.paths import code_digest

    digest = blake2b(f"{VERSION} {pyoxigraph.__version__} {rdflib.__version__}".encode())
    digest.update(str(files[0].resolve().parent.parent).encode())  # the project
    for path in shape_files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for query in checks:
        digest.update(query.name.encode() + b"\0" + query.text.encode())
    digest.update(code_digest().encode())
    return cache / "validate" / digest.hexdigest()[:32]


def validate_incremental(
    files: list[Path], root: Path, shapes: Any, units: list[Unit], folder: Path
) -> tuple[Report, str]:
    """The report, and a line that says what was re-checked (for stderr)."""
    from azgraph.locking import folder_lock

    with folder_lock(folder):
        state = read_state(folder)
        names = file_names(files, root)
        if state is not None:
            changed = changed_files(files, names, state)
            total = sum(file_size(path) for path in files)
            share = sum(file_size(path) for path in changed.values() if path) / max(total, 1)
            if share <= _FULL_SHARE and (folder / "store").is_dir():
                try:
                    return _incremental(folder, state, files, names, changed, shapes, units)
                except _RestartError as why:
                    note = f"{why}; validating in full"
                    return _full(folder, files, names, shapes, units, note)
            note = f"{len(changed)} files changed ({share:.0%} of the graph); validating in full"
            return _full(folder, files, names, shapes, units, note)
        return _full(folder, files, names, shapes, units, "no earlier state; validating in full")


class CanonicalLiteralsError(Exception):
    """The data holds literals the store keeps only in canonical form ("7"^^xsd:int, "1.50"):
    the shapes that read them must run on the terms as written, which only a full validation
    does (validate.py)."""


def _reads_canonical(shapes: Any, predicates: dict[str, frozenset[str]]) -> bool:
    """Whether a core constraint reads one of ``predicates`` in a way their rewrite (kinds, per
    predicate) changes: the fast engine then leaves that shape to pySHACL (validate.py)."""
    if not predicates:
        return False
    from rdflib import URIRef

    from azgraph.check.fastshacl import compile_each
    from azgraph.check.sparqlshapes import split_sparql_constraints

    core, _ = split_sparql_constraints(shapes)
    _, fallbacks, _ = compile_each(core, (), {URIRef(p): k for p, k in predicates.items()})
    return bool(fallbacks)


class _RestartError(Exception):
    """The earlier state cannot be used (see the message): validate in full."""


# -- full runs ------------------------------------------------------------------------------


def _full(
    folder: Path, files: list[Path], names: list[str], shapes: Any, units: list[Unit], note: str
) -> tuple[Report, str]:
    """Validate in memory; meanwhile a forked process writes the on-disk store for next time."""
    import multiprocessing

    from azgraph.parallel import can_fork

    (folder / STATE).unlink(missing_ok=True)
    memory, shared = load_labelled(files)
    if _reads_canonical(shapes, rewrite_kinds(memory)):
        raise CanonicalLiteralsError(_CANONICAL)
    if shared:
        note = f"{note}; blank node label _:{shared} is in two files, so no state is kept"
    new_store = folder / "store.new"
    shutil.rmtree(new_store, ignore_errors=True)
    child = None
    if not shared and can_fork():
        child = multiprocessing.get_context("fork").Process(
            target=_write_store, args=(new_store, files, names, units)
        )
        child.start()
    try:
        results = [_run(_Store(memory), unit, shapes, None) for unit in units]
    finally:
        if child is not None:
            child.join()
    written = not shared and (
        child.exitcode == 0 if child is not None else _try_write(new_store, files, names, units)
    )
    if written:
        shutil.rmtree(folder / "store", ignore_errors=True)
        new_store.rename(folder / "store")
        write_state(folder, files, names, [u.key for u in units], results)
    else:
        shutil.rmtree(new_store, ignore_errors=True)
    report = Report(conforms=True, results=[r for unit in results for r in unit])
    return finish_report(report, None, memory), note


def _write_store(folder: Path, files: list[Path], names: list[str], units: list[Unit]) -> None:
    """Fill a new on-disk store, and analyse the queries for the next run (run in the forked
    process, beside the validation; an exception exits non-zero)."""
    store = ox.Store(str(folder))
    for path, name in zip(files, names, strict=True):
        _load(store, path, _graph(name))
    store.flush()
    del store
    analyses = {unit.key: _analysis_record(unit) for unit in units if unit.kind != "core"}
    (folder / ANALYSES).write_text(json.dumps(analyses), encoding="utf-8")


def _try_write(folder: Path, files: list[Path], names: list[str], units: list[Unit]) -> bool:
    try:
        _write_store(folder, files, names, units)
        return True
    except (OSError, RuntimeError):
        return False


def _analysis_record(unit: Unit) -> list[Any] | None:
    """`sparqldeps.analyse` of a unit as JSON (None: unbounded). Why kept: rdflib takes about
    0.2 s to parse each query, the largest part of a small incremental run."""
    try:
        deps = analyse(unit.analysis, unit.root, bound=unit.kind == "check")
    except UnboundedError:
        return None
    return [
        [
            _ox_record(d.subject),
            _ox_record(d.predicate),
            _ox_record(d.object),
            _ox_record(d.path_first),
            sorted(d.path_iris) if d.path_iris is not None else None,
            d.position,
            d.start,
            d.walk,
        ]
        for d in deps
    ]


def _read_analyses(folder: Path, units: list[Unit]) -> None:
    """Give each unit the analysis the full run kept (units without one are analysed later)."""
    try:
        analyses = json.loads((folder / "store" / ANALYSES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for unit in units:
        if unit.kind == "core" or unit.key not in analyses:
            continue
        record = analyses[unit.key]
        if record is None:
            unit.unbounded = True
            continue
        unit.deps = [
            Dep(
                subject=_ox_term(s),
                predicate=_ox_term(p),
                object=_ox_term(o),
                path_first=_ox_term(first),
                path_iris=frozenset(iris) if iris is not None else None,
                position=position,
                start=start,
                walk=walk,
            )
            for s, p, o, first, iris, position, start, walk in record
        ]


def _ox_record(term: Any) -> list[Any] | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ["literal", term.value, term.language, term.datatype.value]
    return ["bnode" if isinstance(term, ox.BlankNode) else "iri", term.value]


def _ox_term(record: list[Any] | None) -> Any:
    if record is None:
        return None
    if record[0] == "literal":
        _, value, language, datatype = record
        if language is not None:
            return ox.Literal(value, language=language)
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.BlankNode(record[1]) if record[0] == "bnode" else ox.NamedNode(record[1])


def _load(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    """``path`` into the default graph and into ``graph``, blank node labels kept."""
    quads = parse_labelled(path)
    store.bulk_extend([*quads, *(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)])


# -- incremental runs -----------------------------------------------------------------------


def _incremental(
    folder: Path,
    state: dict[str, Any],
    files: list[Path],
    names: list[str],
    changed: dict[str, Path | None],
    shapes: Any,
    units: list[Unit],
) -> tuple[Report, str]:
    if state["units"] != [unit.key for unit in units]:
        raise _RestartError("the earlier state has other constraints")
    results = [[decode_result(row) for row in unit] for unit in state["results"]]
    try:
        store = ox.Store(str(folder / "store"))
    except (OSError, RuntimeError) as exc:
        raise _RestartError(f"the stored graph cannot be opened ({exc})") from exc
    _read_analyses(folder, units)
    if not changed:
        report = Report(conforms=True, results=[r for unit in results for r in unit])
        return finish_report(report, None, store), "no file changed since the last validation"
    diffs = _diffs(store, changed, shapes)
    (folder / STATE).unlink()  # the store is about to change: no state until it is consistent
    removed = [t for gone, _ in diffs.values() for t in gone]
    added = [t for _, new in diffs.values() for t in new]
    predicates = {t[1].value for t in (*removed, *added)}
    foci = _affected(store, units, removed, predicates)
    _apply(store, diffs)
    for index, more in _affected(store, units, added, predicates).items():
        before = foci[index]
        foci[index] = None if before is None or more is None else before | more
    proxy = _Store(store)
    rechecked: set[str] = set()
    for index, unit in enumerate(units):
        focus = foci[index]
        if focus is not None and not focus:
            continue
        if focus is None:
            results[index] = _run(proxy, unit, shapes, None)
            continue
        keys = {str(term) for term in focus}
        rechecked |= keys
        kept = [r for r in results[index] if _key(r.focus) not in keys]
        results[index] = kept + _run(proxy, unit, shapes, focus)
    store.flush()
    write_state(folder, files, names, [u.key for u in units], results, state["files"])
    report = Report(conforms=True, results=[r for unit in results for r in unit])
    whole = sum(1 for f in foci.values() if f is None)
    note = (
        f"{len(changed)} of {len(files)} files changed "
        f"({len(removed)} triples out, {len(added)} in); "
        f"re-checked {len(rechecked)} focus nodes"
        + (f" and {whole} of {len(units)} constraints in full" if whole else "")
    )
    return finish_report(report, None, store), note


def _diffs(
    store: ox.Store, changed: dict[str, Path | None], shapes: Any
) -> dict[str, tuple[set[Any], set[Any]]]:
    """Each changed file's triples out and in, against its named graph in the store."""
    diffs = {}
    for name, path in sorted(changed.items()):
        graph = _graph(name)
        old = {
            (q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        }
        quads = parse_labelled(path) if path else []
        if _reads_canonical(shapes, rewrites_in(quads)):
            raise CanonicalLiteralsError(_CANONICAL)
        new = _canonical(quads)
        _check_labels(store, graph, new - old)
        diffs[name] = (old - new, new - old)
    return diffs


def _canonical(quads: list[ox.Quad]) -> set[tuple[Any, Any, Any]]:
    """The triples as a store holds them: literals in canonical form ("10.0" as "10"), so
    that comparing with the stored graph finds only real changes."""
    scratch = ox.Store()
    scratch.bulk_extend(quads)
    return {(q.subject, q.predicate, q.object) for q in scratch}


def _check_labels(store: ox.Store, graph: ox.NamedNode, triples: Iterable[tuple[Any, ...]]) -> None:
    """Refuse a new blank node label that another file already uses (it would merge them)."""
    seen: set[ox.BlankNode] = set()
    for triple in triples:
        for term in (triple[0], triple[2]):
            if isinstance(term, ox.BlankNode) and term not in seen:
                seen.add(term)
                for quad in (
                    *store.quads_for_pattern(term, None, None, None),
                    *store.quads_for_pattern(None, None, term, None),
                ):
                    if quad.graph_name not in (graph, ox.DefaultGraph()):
                        raise _RestartError(f"blank node label _:{term.value} is in two files")


def _apply(store: ox.Store, diffs: dict[str, tuple[set[Any], set[Any]]]) -> None:
    """Apply each file's difference to its named graph, then to the merged default graph (a
    triple leaves it only when no file holds it any more)."""
    default = ox.DefaultGraph()
    for name, (gone, new) in diffs.items():
        graph = _graph(name)
        for s, p, o in gone:
            store.remove(ox.Quad(s, p, o, graph))
        store.bulk_extend([ox.Quad(s, p, o, graph) for s, p, o in new])
    for gone, new in diffs.values():
        for s, p, o in gone:
            if not any(q.graph_name != default for q in store.quads_for_pattern(s, p, o, None)):
                store.remove(ox.Quad(s, p, o, default))
        store.bulk_extend([ox.Quad(s, p, o, default) for s, p, o in new])


def _affected(
    store: ox.Store, units: list[Unit], triples: list[tuple[Any, ...]], predicates: set[str]
) -> dict[int, set[Any] | None]:
    """For each unit, the focus nodes ``triples`` (in the store as it is) can reach, or None
    where the unit must run in full."""
    if not triples:
        return {index: set() for index in range(len(units))}
    if any(t[1] == _SUBCLASS for t in triples):  # targets and sh:class read the hierarchy
        return {index: None for index in range(len(units))}
    ends = {t[0] for t in triples} | {t[2] for t in triples}
    subjects = {t[0] for t in triples}
    pointing = {
        q.subject
        for node in subjects
        for q in store.quads_for_pattern(None, None, node, ox.DefaultGraph())
    }
    walked: dict[tuple[str, str, str, frozenset[Any]], set[Any]] = {}
    found: dict[int, set[Any] | None] = {}
    for index, unit in enumerate(units):
        if unit.kind == "core":
            found[index] = ends | pointing
            continue
        try:
            if unit.unbounded:
                raise UnboundedError("analysed before")
            if unit.deps is None:
                unit.deps = analyse(unit.analysis, unit.root, bound=unit.kind == "check")
            foci = set(ends) if unit.kind == "sparql" else set()  # the targets read those
            foci |= _walk(store, unit, triples, predicates, walked)
            found[index] = foci
        except UnboundedError:
            found[index] = None
    return found


def _walk(
    store: ox.Store,
    unit: Unit,
    triples: list[tuple[Any, ...]],
    predicates: set[str],
    walked: dict[tuple[str, str, str, frozenset[Any]], set[Any]],
) -> set[Any]:
    starts: dict[tuple[str, str], set[Any]] = {}
    for dep in unit.deps or []:
        for triple in triples:
            term = dep.start_of(triple, predicates)
            if term is not None:
                starts.setdefault((dep.walk, dep.start), set()).add(term)
    foci: set[Any] = set()
    for (walk, start), terms in starts.items():
        if not walk:
            foci |= terms
            continue
        key = (walk, start, unit.root, frozenset(terms))
        if key not in walked:
            text = f"SELECT DISTINCT ?{unit.root} WHERE {{ {_for_each(start, terms, walk)} }}"
            answer = _Store(store).query(text)
            walked[key] = {row[unit.root] for row in answer}
        foci |= walked[key]
    return foci


# -- running a unit, whole or for some focus nodes ------------------------------------------


def _run(store: Any, unit: Unit, shapes: Any, foci: set[Any] | None) -> list[Result]:
    if unit.kind == "core":
        check = (
            unit.item
            if foci is None
            else replace(unit.item, query=_restrict(unit.item.query, foci))
        )
        return fast_results(store, [check], shapes)
    if unit.kind == "sparql":
        constraint = unit.item
        if foci is not None:
            constraint = replace(constraint, query=_restrict(constraint.query, foci))
        return constraint_results(store, [constraint], shapes)
    query = unit.item
    if foci is not None:
        query = query._replace(text=_restrict_check(query.text, foci))
    return query_results(store, query)


def focus_block(var: str, terms: Iterable[Any]) -> str:
    """A group binding ``?var`` to each of ``terms``; stored blank nodes are named by label
    through a function, since a blank node in a query is a variable."""
    named = sorted(str(t) for t in terms if not isinstance(t, ox.BlankNode))
    blank = sorted(json.dumps(t.value) for t in terms if isinstance(t, ox.BlankNode))
    parts = []
    if named:
        parts.append(f"{{ VALUES ?{var} {{ {' '.join(named)} }} }}")
    if blank:
        parts.append(
            f"{{ VALUES ?azgraphLabel {{ {' '.join(blank)} }} "
            f"BIND (<{_BLANK.value}>(?azgraphLabel) AS ?{var}) }}"
        )
    return " UNION ".join(parts) if parts else "FILTER (false)"


def _for_each(var: str, terms: Iterable[Any], body: str) -> str:
    """``body`` evaluated once per term bound to ``?var``: the terms first, the body in a
    LATERAL group. Joined plainly, Oxigraph evaluated the body over the whole graph first and
    then joined (a restricted core constraint took as long as the full one, 30 ms each at a
    million triples; a check query 6 s; a walk from a blank node 213 ms against 7 ms)."""
    return f"{focus_block(var, terms)} LATERAL {{ {body}}}"


def _restrict(query: str, foci: set[Any]) -> str:
    """A compiled query (targets first, see sparqlshapes.target_pattern) for ``foci`` only.

    The targets are evaluated for each focus node (`_for_each`), and the body, for the same
    reason, in a LATERAL group after them (350 ms against 1 ms where a focus was a blank node)."""
    start = query.index(TARGETS_START)
    inside = start + len(TARGETS_START)
    targets_end = _close(query, inside)  # the sub-select's WHERE group
    select_end = _close(query, targets_end + 1)  # the group around the sub-select
    body_end = _close(query, select_end + 1)  # the query's WHERE group
    return (
        f"{query[:inside]}{_for_each('this', foci, query[inside:targets_end])}"
        f"{query[targets_end : select_end + 1]} LATERAL {{{query[select_end + 1 : body_end]}}}"
        f"{query[body_end:]}"
    )


def _close(text: str, at: int) -> int:
    """Where the group that ``text[at:]`` is inside of closes."""
    from azgraph.check.sparqlshapes import closing_brace

    close = closing_brace(text[at:])
    if close is None:
        raise ValueError(f"a query whose groups do not close: {text!r}")
    return at + close


def _restrict_check(text: str, foci: set[Any]) -> str:
    """A check query for ``foci`` only: its WHERE group evaluated for each focus node
    (`_for_each`; sparqldeps checked that ?focus is bound by the query's own patterns there,
    so this only filters)."""
    from azgraph.query.sparqlvet import tokens

    for token in tokens(text):
        if token.group() == "{":
            at = token.end()
            end = _close(text, at)
            return f"{text[:at]} {_for_each('focus', foci, text[at:end])}{text[end:]}"
    raise ValueError("a check query without a group")


# -- state ----------------------------------------------------------------------------------


def _graph(name: str) -> ox.NamedNode:
    from urllib.parse import quote

    return ox.NamedNode("urn:azgraph:file:" + quote(name))


def _key(node: Any) -> str:
    from azgraph.rdf.terms import to_oxigraph

    return str(to_oxigraph(node))
