"""Loading the built graph: into pyoxigraph for queries, into rdflib for validation.

Both read the same files (the ontology plus ``data/*.ttl``), so the two engines see one graph;
tests/query/test_queries.py checks they return the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from azgraph.errors import InputError
from azgraph.project import Project
from azgraph.rdf.terms import to_oxigraph as to_oxigraph
from azgraph.rdf.terms import to_rdflib as to_rdflib

if TYPE_CHECKING:  # rdflib is imported only where used: `query run` never needs it
    from rdflib import Graph


def graph_files(project: Project) -> list[Path]:
    """The ontology and the generated data files, in a fixed order (`paths.graph_paths`,
    so both lanes of `query run` load the same files)."""
    from azgraph.paths import graph_paths

    files = [Path(path) for path in graph_paths(str(project.root))]
    if len(files) == 1:
        raise InputError(
            "no data files in data/", path=project.data_dir, hint="Run 'azgraph build' first."
        )
    return files


def load_rdflib(files: list[Path]) -> Graph:
    from azgraph.rdf.turtle import parse_turtle

    graph: Graph | None = None
    for path in files:
        graph = parse_turtle(path, graph)
    assert graph is not None
    return graph


def load_oxigraph(files: list[Path]) -> ox.Store:
    """An in-memory pyoxigraph store holding every file in its default graph."""
    store = ox.Store()
    fill_store(store, files)
    return store


def query_store(files: list[Path]) -> ox.Store:
    """The store `query run` reads: for a small graph, an on-disk copy cached by content
    (cache.py), which opens in about 15 ms; otherwise, or without a cache, in memory.
    The size limit is `paths.QUERY_CACHE_MAX_BYTES`."""
    from azgraph.cache import cached_store
    from azgraph.paths import fits_store_cache

    try:
        small = fits_store_cache(files)
    except OSError:
        small = True  # `fill_store` reports the unreadable file
    if not small:
        return load_oxigraph(files)
    return cached_store(files, fill_store)


def fill_store(store: ox.Store, files: list[Path]) -> None:
    """Load every file into ``store``'s default graph; bad Turtle raises with its line."""
    for path in files:
        with turtle_errors(path):
            # `load`, not `bulk_load`: for many small files it is faster (a million triples in
            # 201 files: 5.1 s against 6.4 s), and as fast for one
            store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())


@contextmanager
def turtle_errors(path: Path) -> Iterator[None]:
    """Turn pyoxigraph's errors on reading ``path`` into the project's: bad Turtle is reported
    with its line (by the strict checker), an unreadable file as an input error."""
    try:
        yield
    except SyntaxError:
        from azgraph.rdf.turtle import check_turtle_strict

        check_turtle_strict(path.read_bytes(), path)  # raises with the line number
        raise
    except OSError as exc:
        raise InputError(f"cannot read file: {exc}", path=path) from exc


def load_labelled(files: list[Path]) -> tuple[ox.Store, str | None]:
    """An in-memory store of ``files`` in which blank nodes keep the labels of the files, and
    None; or, if two files share a label (keeping it would merge two nodes), a store loaded as
    `load_oxigraph` does, and that label.

    Why: Store.load gives blank nodes new random labels, so a validation report naming one
    (an owl:Axiom, say) would differ on every run. azgraph build writes labels that are
    digests of the node's content, unique across files.
    """
    shared = shared_blank_label(files)
    if shared is not None:
        return load_oxigraph(files), shared
    store = ox.Store()
    quads: list[ox.Quad] = []
    for path in files:
        part = parse_labelled(path)
        store.bulk_extend(part)
        quads.extend(part)
    note_rewritten(store, quads, files)
    return store, None


_KEPT_AS_WRITTEN = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
# How a store rewrites a literal, per predicate: what SHACL constraints on it can no longer see.
DATATYPE = "datatype"  # "7"^^xsd:int comes back as "7"^^xsd:integer
LEXICAL = "lexical"  # "1.50" comes back as "1.5" (same datatype, same value)
MERGE = "merge"  # two literals one predicate uses ("1.50", "1.5") become one term
# id(store) -> (its size, predicate -> how its literals were rewritten, the files it holds)
_REWRITTEN: dict[int, tuple[int, dict[str, frozenset[str]], tuple[Path, ...]]] = {}


def note_rewritten(store: ox.Store, quads: list[ox.Quad], files: list[Path] | None) -> None:
    """Record which predicates of ``store`` have literals the store keeps only in canonical
    form, how (`rewrites_in`), and from which files the originals can be read again.

    Why: Oxigraph stores numbers, booleans and dates by value: "7"^^xsd:int comes back as
    "7"^^xsd:integer, "1.50" and "1.5" become one term. SHACL's sh:datatype, counts, sh:in
    and the like need the terms as written, so shapes reading these predicates with such a
    constraint must run on the original graph (validate.py, check/rewrites.py).
    """
    _REWRITTEN[id(store)] = (len(store), rewrites_in(quads), tuple(files or ()))


def rewritten_in(quads: list[ox.Quad]) -> frozenset[str]:
    """The predicates of ``quads`` whose literals a store would keep only in canonical form."""
    return frozenset(rewrites_in(quads))


def rewrites_in(quads: list[ox.Quad]) -> dict[str, frozenset[str]]:
    """Predicate -> how a store would rewrite its literals (`DATATYPE`, `LEXICAL`, `MERGE`).

    Recorded per predicate, since one literal can be used by several: "1.50" is only respelled
    under a predicate that has no "1.5", and also merged under one that has.
    """
    stored = _stored_forms(quads)
    kinds: dict[str, set[str]] = {}
    seen: dict[tuple[str, ox.Literal], ox.Literal] = {}  # (predicate, stored) -> an original
    if not stored:
        return {}
    for quad in quads:
        original = quad.object
        if not isinstance(original, ox.Literal):
            continue
        kept = stored.get(original, original)  # "1.5" stays, and "1.50" merges into it
        predicate = quad.predicate.value
        found = kinds.setdefault(predicate, set())
        if kept.datatype != original.datatype:
            found.add(DATATYPE)
        if kept.value != original.value:
            found.add(LEXICAL)
        other = seen.setdefault((predicate, kept), original)
        if other != original:
            found.add(MERGE)
    return {p: frozenset(k) for p, k in kinds.items() if k}


def _stored_forms(quads: list[ox.Quad]) -> dict[ox.Literal, ox.Literal]:
    """Each typed literal of ``quads`` -> the term a store gives back for it, if different."""
    literals = sorted(
        {
            q.object
            for q in quads
            if isinstance(q.object, ox.Literal)
            and not q.object.language
            and q.object.datatype.value not in _KEPT_AS_WRITTEN
        },
        key=str,
    )
    if not literals:
        return {}
    scratch = ox.Store()
    p = ox.NamedNode("urn:azgraph:p")
    scratch.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:azgraph:{i}"), p, lit) for i, lit in enumerate(literals)
    )
    stored: dict[ox.Literal, ox.Literal] = {}
    for quad in scratch:
        original = literals[int(quad.subject.value.rsplit(":", 1)[1])]
        if quad.object != original:
            stored[original] = quad.object
    return stored


def rewritten_predicates(store: object) -> frozenset[str]:
    """The predicates `note_rewritten` recorded for ``store`` (none if it was not noted)."""
    return frozenset(rewrite_kinds(store))


def rewrite_kinds(store: object) -> dict[str, frozenset[str]]:
    """Predicate -> how ``store`` rewrote its literals, as `note_rewritten` recorded."""
    noted = _REWRITTEN.get(id(store))
    if noted is None or noted[0] != len(store):  # type: ignore[arg-type]
        return {}
    return noted[1]


def original_files(store: object) -> tuple[Path, ...]:
    """The files ``store`` was loaded from, when some of its literals were rewritten."""
    noted = _REWRITTEN.get(id(store))
    if noted is None or noted[0] != len(store) or not noted[1]:  # type: ignore[arg-type]
        return ()
    return noted[2]


def parse_labelled(path: Path) -> list[ox.Quad]:
    """The triples of a Turtle file, blank node labels as written; bad Turtle raises with its
    line."""
    from azgraph.rdf.turtle import check_blank_depth

    with turtle_errors(path):
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    blank = ox.BlankNode
    links = [
        (q.subject, q.object)
        for q in quads
        if type(q.object) is blank and type(q.subject) is blank  # objects are rarely blank
    ]
    check_blank_depth(links, path)
    return quads


def shared_blank_label(files: list[Path]) -> str | None:
    """A blank node label that two of ``files`` use, or None."""
    import re

    label = re.compile(rb"_:([^\s,;()\[\]{}\"'<>#]+)")
    owner: dict[bytes, int] = {}
    for index, path in enumerate(files):
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", path=path) from exc
        found: set[bytes] = {match.rstrip(b".") for match in label.findall(text)}
        for name in found:
            if owner.setdefault(name, index) != index:
                return name.decode(errors="replace")
    return None
