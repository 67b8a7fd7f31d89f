"""The one deterministic Turtle writer, strict parsing, and atomic file writes.

Deterministic: content-hash blank-node labels (bnodes.py), sorted triples and only the prefixes
in use, written by pyoxigraph (see `to_turtle`). Checked byte-identical under reordered input
by tests/rdf/test_turtle.py.

Atomic: output goes to a temporary file in the target folder, is re-parsed by pyoxigraph (the
strictest parser we found), and only then replaces the old file with ``os.replace``; any failure
leaves the old file byte-for-byte intact and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from azgraph.errors import InputError, LimitError, OutputError, one_line
from azgraph.rdf.bnodes import content_labels, is_blank
from azgraph.rdf.namespaces import new_graph
from azgraph.rdf.prefixes import PREFIXES
from azgraph.rdf.terms import to_oxigraph
from azgraph.rdf.triples import Triple, TripleSet

MAX_TURTLE_BYTES = 200_000_000
# rdflib's Turtle parser recurses once per nested ``[`` or ``(``, and our blank-node labellers
# once or twice per level of a blank-node chain (an rdf:List is a chain as long as the list), so
# past Python's recursion limit either fails with "maximum recursion depth exceeded" and no line.
# pyoxigraph copes with any depth; these limits keep rdflib and the writers inside theirs, and
# far above what an ontology, a shapes file or a data file of ours needs.
MAX_NESTING = 64
MAX_BLANK_DEPTH = 200
_NESTING_TOKEN = re.compile(
    rb'#[^\r\n]*|<[^>\r\n]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    rb'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\'|[\[\]()]',
    re.DOTALL,
)


def to_turtle(graph: Graph | TripleSet) -> str:
    """Serialise ``graph`` as canonical Turtle with the project prefixes.

    Canonical: blank nodes are named by their content (`bnodes.content_labels`), triples are
    sorted (subjects by IRI, blank nodes last; ``rdf:type`` first, then predicates by IRI; then
    objects), and only the prefixes in use are declared, in name order. pyoxigraph writes the
    sorted triples (grouping each subject's predicates and objects): about 30 times faster than
    rdflib's ``longturtle``, which took 27 of the 40 s that a build of the ×10 corpus spent
    writing Turtle.
    """
    triples = list(graph)
    labels = content_labels(triples)
    if labels is None:  # a blank-node cycle or twin: let rdflib canonicalise (slow but exact)
        canon = new_graph()
        for triple in triples:
            canon.add(triple)
        text = canon.serialize(format="longturtle", canon=True)
        return text if text.endswith("\n") else text + "\n"
    terms = _NTriples(labels)
    term, predicate = terms.term, terms.predicate
    rows = [(term(s), predicate(p), term(o)) for s, p, o in triples]
    rows.sort()
    used = {prefix: ns for prefix, ns in sorted(PREFIXES.items()) if terms.uses(ns)}
    lines = "".join(f"{s} {p.lstrip(_FIRST)} {o} .\n" for s, p, o in rows)
    written = ox.serialize(
        ox.parse(lines, format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.TURTLE,
        prefixes=used,
    )
    assert written is not None  # no output file given: pyoxigraph returns the bytes
    out = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in used.items()]
    for line in written.decode("utf-8").split("\n"):
        if not line or line.startswith("@prefix "):
            continue
        if not line.startswith("\t"):  # a new subject: a blank line before it, as longturtle did
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_FIRST = "\x00"  # sorts rdf:type before every other predicate, as Turtle readers expect "a"


class _NTriples:
    """rdflib term -> its N-Triples text, memoised (a graph repeats its IRIs often).

    Sorting rows of these strings gives the file its order: subjects by IRI with blank nodes
    (``_:``) after IRIs (``<``), then predicates with rdf:type first, then objects. pyoxigraph
    writes the literal forms, so escaping follows the N-Triples grammar exactly.

    The memo is keyed by object identity, not by the term: rdflib computes a term's hash in
    Python, and hashing every term of a large graph took longer than writing it. Two equal
    terms that are distinct objects are simply rendered twice, to the same text; the caller
    keeps the terms alive, so their ids are not reused meanwhile.
    """

    def __init__(self, labels: dict[Node, str]) -> None:
        self.labels = labels
        self.memo: dict[int, str] = {}
        self.predicates: dict[int, str] = {}
        self.iris: set[str] = set()

    def term(self, term: Node) -> str:
        found = self.memo.get(id(term))
        if found is None:
            found = self.memo[id(term)] = self._make(term)
        return found

    def predicate(self, term: Node) -> str:
        found = self.predicates.get(id(term))
        if found is None:
            text = self.term(term)
            found = _FIRST + text if text == f"<{_RDF_TYPE}>" else text
            self.predicates[id(term)] = found
        return found

    def _make(self, term: Node) -> str:
        if isinstance(term, BNode):
            return f"_:{self.labels.get(term, term)}"
        if isinstance(term, URIRef):
            if str(term) != _RDF_TYPE:  # written as "a": declaring rdf: for it would be noise
                self.iris.add(str(term))
        elif isinstance(term, Literal) and term.datatype is not None and not term.language:
            self.iris.add(str(term.datatype))
        return str(to_oxigraph(term))

    def uses(self, namespace: str) -> bool:
        return any(iri.startswith(namespace) for iri in self.iris)


def parse_turtle(path: Path, graph: Graph | None = None) -> Graph:
    """Parse a Turtle file into ``graph`` (a new one by default), with file:line errors."""
    target = graph if graph is not None else new_graph()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from exc
    if size > MAX_TURTLE_BYTES:
        raise LimitError(
            f"file is larger than {MAX_TURTLE_BYTES} bytes",
            path=path,
            hint="Split it into smaller files.",
        )
    data = path.read_bytes()
    check_turtle_strict(data, path)
    check_nesting(data, path)
    try:
        target.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types; all mean "cannot parse"
        line = getattr(exc, "lines", None)
        raise InputError(
            f"invalid Turtle: {_first_line(exc)}",
            path=path,
            line=(line + 1) if isinstance(line, int) else None,
        ) from exc
    check_blank_depth(blank_links(target), path)
    return target


def check_nesting(data: bytes, path: Path | str) -> None:
    """Raise `LimitError` at the line where ``[`` and ``(`` nest deeper than `MAX_NESTING`.

    Only files with that many brackets at all are scanned token by token (strings, IRIs and
    comments skipped whole), so the usual file costs one count.
    """
    if data.count(b"[") + data.count(b"(") <= MAX_NESTING:
        return
    depth = 0
    for match in _NESTING_TOKEN.finditer(data):
        token = match.group()
        if token in (b"[", b"("):
            depth += 1
            if depth > MAX_NESTING:
                line = data.count(b"\n", 0, match.start()) + 1
                raise LimitError(
                    f"brackets nest deeper than {MAX_NESTING} levels",
                    path=path,
                    line=line,
                    hint="Flatten the nested blank nodes or lists into named resources.",
                )
        elif token in (b"]", b")"):
            depth = max(depth - 1, 0)


def blank_links(triples: Iterable[Triple]) -> list[tuple[Node, Node]]:
    """The (subject, object) pairs of ``triples`` in which both are blank nodes."""
    return [(s, o) for s, _, o in triples if is_blank(o) and is_blank(s)]


def check_blank_depth(links: Iterable[tuple[Any, Any]], path: Path | str) -> None:
    """Raise `LimitError` when a chain of blank nodes (a list, a nested class expression) is
    longer than `MAX_BLANK_DEPTH`; cycles count once round. ``links`` are the (subject, object)
    pairs where both are blank nodes, in either term model (`blank_links` for rdflib's)."""
    below: dict[Any, list[Any]] = {}
    for s, o in links:
        below.setdefault(s, []).append(o)
    if len(below) < MAX_BLANK_DEPTH:
        return
    depth: dict[Any, int] = {}
    for root in below:
        stack: list[tuple[Any, bool]] = [(root, False)]
        on_path: set[Any] = set()
        while stack:
            node, done = stack.pop()
            if done:
                on_path.discard(node)
                depth[node] = 1 + max((depth.get(c, 0) for c in below.get(node, ())), default=0)
                if depth[node] > MAX_BLANK_DEPTH:
                    raise LimitError(
                        f"a blank-node structure (a list or a nested expression) is more than "
                        f"{MAX_BLANK_DEPTH} deep",
                        path=path,
                        hint="Shorten the list, or give its parts IRIs.",
                    )
                continue
            if node in depth or node in on_path:
                continue
            on_path.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in below.get(node, ()) if child not in depth)


def check_turtle_strict(data: bytes, path: Path | str) -> None:
    """Raise InputError with the line when pyoxigraph rejects ``data`` as Turtle."""
    try:
        for _ in ox.parse(data, format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        match = re.search(r"line (\d+)", str(exc))
        message = re.sub(r"^Parser error (between|at) [^:]*: ", "", str(exc))
        message = re.sub(r" \([^()]*, line \d+\)$", "", message)
        message = one_line(message, 300)  # a quoted token may span lines
        raise InputError(
            f"invalid Turtle: {message}",
            path=path,
            line=int(match.group(1)) if match else None,
            hint="Fix the syntax at that line.",
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


def write_atomic(
    path: Path,
    content: str | bytes,
    *,
    verify: Callable[[bytes], None] | None = None,
) -> bool:
    """Write ``content`` to ``path`` atomically; return False when the file already held it.

    ``verify`` runs on the temporary file's bytes before the switch; if it raises, nothing changes.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return False
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror}",
            path=path,
            hint="Check that the folder exists and is writable.",
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if verify is not None:
            verify(tmp.read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror}",
            path=path,
            hint="The previous file is unchanged; free space or fix permissions.",
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def write_turtle(path: Path, graph: Graph | TripleSet) -> bool:
    """Write ``graph`` to ``path`` as canonical Turtle, verified by a strict re-parse."""
    return write_turtle_text(path, to_turtle(graph))


def write_turtle_text(path: Path, text: str, *, checked: bool = False) -> bool:
    """Write Turtle ``text`` to ``path`` atomically, verified by a strict re-parse first.

    ``checked`` says the caller has already parsed ``text`` strictly (the build does, in its
    worker processes): then the bytes read back need only equal it.
    """
    expected = text.encode("utf-8")

    def verify(data: bytes) -> None:
        if not checked:
            check_turtle_strict(data, path)
        elif data != expected:
            raise OutputError("the file read back differs from what was written", path=path)

    return write_atomic(path, text, verify=verify)


def merge(graphs: Iterable[Graph]) -> Graph:
    merged = new_graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged
