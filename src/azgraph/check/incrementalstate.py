"""The state `validate --incremental` keeps between runs: each file's size, time and digest,
and every constraint's results, as one JSON file written atomically.

Why apart from incremental.py: reading and writing the state is bookkeeping the re-checking
logic only calls; results are stored exactly (a plain literal stays without a datatype) so that
an incremental report is byte-identical to a full one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from azgraph.check.report import Result

STATE = "state.json"
VERSION = 1  # of the state's layout and of what it keys on


def file_names(paths: list[Path], root: Path) -> list[str]:
    """Each file's path from the project root (absolute if outside it). Each folder is resolved
    once, and the rest is string work: pathlib took 0.7 s for 2,000 files."""
    base = root.resolve().as_posix().rstrip("/") + "/"
    folders: dict[Path, str] = {}
    names = []
    for path in paths:
        if path.parent not in folders:
            folders[path.parent] = path.parent.resolve().as_posix().rstrip("/") + "/"
        full = folders[path.parent] + path.name
        names.append(full.removeprefix(base))
    return names


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def file_digest(path: Path) -> str:
    from azgraph.cache import blake2b

    return blake2b(path.read_bytes()).hexdigest()


def changed_files(
    files: list[Path], names: list[str], state: dict[str, Any]
) -> dict[str, Path | None]:
    """Files added or edited since the state (by size and time, then by digest), and files
    removed (None). Each digest made here is recorded in ``state["files"]``, so that writing
    the next state does not read the file again."""
    old = state["files"]
    changed: dict[str, Path | None] = {}
    for path, name in zip(files, names, strict=True):
        info = path.stat()
        stat = [info.st_size, info.st_mtime_ns]
        before = old.get(name)
        if before is not None and before[:2] == stat:
            continue
        digest = file_digest(path)
        if before is None or before[2] != digest:
            changed[name] = path
        old[name] = [*stat, digest]
    for name in old.keys() - set(names):
        changed[name] = None
    return changed


def read_state(folder: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((folder / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != VERSION:
        return None
    return state


def write_state(
    folder: Path,
    files: list[Path],
    names: list[str],
    unit_keys: list[str],
    results: list[list[Result]],
    previous: dict[str, list[Any]] | None = None,
) -> None:
    before = previous or {}
    recorded = {}
    for path, name in zip(files, names, strict=True):
        info = path.stat()
        stat = [info.st_size, info.st_mtime_ns]
        known = before.get(name)
        recorded[name] = [*stat, known[2] if known and known[:2] == stat else file_digest(path)]
    record = {
        "version": VERSION,
        "units": unit_keys,
        "files": recorded,
        "results": [[encode_result(r) for r in unit] for unit in results],
    }
    temporary = folder / f"{STATE}.{os.getpid()}"
    temporary.write_text(json.dumps(record), encoding="utf-8")
    temporary.replace(folder / STATE)


def encode_result(result: Result) -> list[Any]:
    return [
        result.severity,
        _term_record(result.focus),
        result.message,
        _term_record(result.path),
        _term_record(result.value),
        result.source,
    ]


def _term_record(node: Any) -> list[str | None] | None:
    """An rdflib term as JSON, exactly (a plain literal stays without a datatype)."""
    from rdflib import BNode, Literal

    if node is None:
        return None
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return ["literal", str(node), node.language, datatype]
    return ["bnode" if isinstance(node, BNode) else "iri", str(node)]


def decode_result(row: list[Any]) -> Result:
    severity, focus, message, path, value, source = row
    return Result(severity, _term(focus), message, _term(path), _term(value), source)


def _term(record: list[Any] | None) -> Any:
    from rdflib import BNode, Literal, URIRef

    if record is None:
        return None
    if record[0] == "literal":
        _, text, language, datatype = record
        if language is not None:
            return Literal(text, lang=language)
        return Literal(text, datatype=URIRef(datatype) if datatype is not None else None)
    return BNode(record[1]) if record[0] == "bnode" else URIRef(record[1])
