"""A repeated `azgraph query run`, answered from the caches with almost no imports.

Why a module of its own: on the 2-core machine issue #6 is measured on, Python starts in about
22 ms and pyoxigraph adds 10, but the standard modules the rest of azgraph leans on (pathlib,
re, typing, enum, json, threading) add about 40 more, more than opening the store and running
the query together. So this module, and everything it imports at module level (deadline.py,
prefixes.py, render.py), uses only os, _thread and pyoxigraph.

It can be that small because everything a plain `query run` works out was worked out by an
earlier run and cached by content: the on-disk store of the dumps (cache.py) and the query's
*prepared* text, i.e. parameters bound and policy vetted (written by
`queryrun.answer_locally`). When both are there, `answer` opens the store, runs the text and
renders the rows; when anything is missing, stale or unusual it returns None and the full lane
answers, and fills the caches for next time. tests/test_entry.py checks that both print the
same bytes.

Where the project is and what a cache entry is called come from paths.py, which the library
uses too, so the two lanes cannot disagree about a key or a file; the query runs through
engine.py, as in the library. Nothing in the library imports this module: it is a leaf.
"""

from __future__ import annotations

import os

import pyoxigraph as ox

from azgraph.paths import (
    PREPARED_MAGIC,
    READY,
    cache_root,
    find_root,
    fits_store_cache,
    graph_paths,
    is_project,
    prepared_key,
    query_path,
    store_folder,
)
from azgraph.query.engine import execute, same_term

TYPE_CHECKING = False  # typing itself costs a cold process about 8 ms (it imports re)
if TYPE_CHECKING:
    from typing import Any

_FORMS = ("select", "ask", "construct")


def decode_prepared(data: bytes) -> tuple[str, str] | None:
    """(form, text) of a prepared entry, or None when it is damaged or could reach out.

    The text was vetted before it was cached, but the cache is only a folder on disk: text in
    which SERVICE may be a keyword, or with a \\u escape that could spell it, is never run from
    here (this module cannot afford sparqlvet's tokenizer, which needs `re`). The full lane vets
    it again and refuses or runs it.
    """
    try:
        magic, form, text = data.decode("utf-8").split("\n", 2)
    except (UnicodeDecodeError, ValueError):
        return None
    if magic != PREPARED_MAGIC or form not in _FORMS:
        return None
    if "\\U" in text.upper() or _may_call_service(text) or not _surely_bounded(text):
        return None
    return form, text


# sparqlvet.MAX_NESTING and MAX_PATTERNS (tests/query/test_queries.py keeps them equal): that module
# needs `re`, which this one must not import.
_MAX_NESTING = 64
_MAX_PATTERNS = 500


def _surely_bounded(text: str) -> bool:
    """Whether ``text`` is surely within sparqlvet's bounds, counted without a tokenizer: no
    more opening brackets than the nesting limit allows, and no more separators than the
    pattern limit. Both over-count (brackets and dots in strings count too), which only sends
    a query to the full lane, where `sparqlvet.check_bounds` measures it properly."""
    opening = text.count("(") + text.count("{") + text.count("[")
    separators = text.count(".") + text.count(";") + text.count(",")
    return opening <= 4 * _MAX_NESTING and separators < _MAX_PATTERNS


def _may_call_service(text: str) -> bool:
    """Whether SERVICE may be a keyword of ``text``: it occurs outside full-line comments and
    not inside a longer name (``az:serviceEntry``, ``?service``). Errs towards yes, which only
    sends the query to the full lane. Without `re`, which this module must not import."""
    for line in text.upper().replace("\r", "\n").split("\n"):  # SPARQL's line ends, no others
        if line.lstrip(" \t").startswith("#") and '"' not in line and "'" not in line:
            continue  # a comment, or a line inside a long string that does not end on it
        start = line.find("SERVICE")
        while start != -1:
            end = start + 7
            before = line[start - 1] if start else " "
            after = line[end] if end < len(line) else " "
            if not (before.isalnum() or before in "_-:?$") and not (
                after.isalnum() or after in "_-:"
            ):
                return True
            start = line.find("SERVICE", end)
    return False


def answer(opts: dict[str, Any]) -> str | None:
    """The rendered answer to a parsed `query run` (entry.parse_quick), or None when the caches
    do not hold everything it needs: the full lane then answers.

    Raises the CLI's `LimitError` when the query outlives ``--timeout``, as the full lane does.
    """
    root = cache_root()
    if root is None:
        return None
    project = opts["project"]
    where = os.path.realpath(project) if project is not None else find_root(os.getcwd())
    if where is None or not is_project(where):
        return None
    path, _ = query_path(os.path.join(where, "queries"), str(opts["name"]))
    try:
        with open(path, encoding="utf-8") as handle:
            query_text = handle.read()
        key = prepared_key(query_text, opts["given"])
        with open(os.path.join(root, "prepared", key), "rb") as handle:
            prepared = decode_prepared(handle.read())
        files = graph_paths(where)
        if len(files) == 1 or not fits_store_cache(files):
            return None
        folder = store_folder(root, files, engine=ox.__version__)
        if (
            prepared is None
            or prepared[0] == "construct"
            or not os.path.isfile(os.path.join(folder, READY))
        ):
            return None  # CONSTRUCT results print as Turtle, which needs rdflib anyway
        store = ox.Store.read_only(folder)
    except (OSError, UnicodeDecodeError, RuntimeError):
        return None  # unreadable, absent or damaged: the full lane reports or rebuilds
    form, text = prepared
    limit, timeout = int(opts["limit"]), float(opts["timeout"])
    from azgraph.deadline import DeadlineError, run_with_deadline

    try:
        result = run_with_deadline(lambda: execute(store, text, form, limit, same_term), timeout)
    except (SyntaxError, OSError, RuntimeError):
        return None  # the full lane reports a syntax error with its line, or a damaged store
    except DeadlineError:
        from pathlib import Path

        from azgraph.query.queries import timeout_error

        raise timeout_error(timeout, Path(path)) from None
    from azgraph.query.render import render_boolean, render_rows

    if form == "ask":
        return render_boolean(result[3], str(opts["format"]))
    return render_rows(result[1], result[2], str(opts["format"]))
