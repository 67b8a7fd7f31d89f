"""A repeated `azgraph query run`, answered from the caches with almost no imports.

Why a module of its own: on the 2-core machine issue #6 is measured on, Python starts in about
22 ms and pyoxigraph adds 10, but the standard modules the rest of azgraph leans on (pathlib,
re, typing, enum, json, threading) add about 40 more, more than opening the store and running
the query together. So this module, and everything it imports at module level (deadline.py,
prefixes.py, render.py), uses only os, _thread and pyoxigraph.

It can be that small because everything a plain `query run` works out was worked out by an
earlier run and cached by content: the on-disk store of the dumps (cache.py) and the query's
*prepared* text, i.e. parameters bound and policy vetted (written by `entry.answer_locally`). When
both are there, `answer` opens the store, runs the text and renders the rows; when anything is
missing, stale or unusual it returns None and the full lane answers, and fills the caches for
next time. tests/test_entry.py checks that both print the same bytes.

The helpers that decide what a cache entry is called (`content_key`, `store_folder`,
`prepared_key`) and where the project is (`find_root`, `data_names`) live here, and cache.py and
project.py use them, so the two lanes cannot disagree about a key or a file.
"""

from __future__ import annotations

import os

import pyoxigraph as ox

try:  # hashlib's own BLAKE2, without the 5 ms import of OpenSSL that `import hashlib` costs
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as blake2b

TYPE_CHECKING = False  # typing itself costs a cold process about 8 ms (it imports re)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

MARKERS = ("ontology/azgraph.ttl", "curated")
READY = "ready"  # written last: a store folder without it is incomplete and never opened

# Above this many bytes of Turtle (about 40,000 triples, four times the bundled graph), `query
# run` loads the dumps into memory instead: RocksDB answers heavy queries 4-16 times slower than
# the in-memory store (measured on the x10 corpus: facts-about 1.0 s on disk, 0.15 s in memory),
# which outweighs the load time saved.
QUERY_CACHE_MAX_BYTES = 4_000_000

# The modules whose code decides a query's prepared text: a change to any of them changes the
# key of every prepared entry, so an upgrade never runs text an older version vetted.
_PREPARING_MODULES = (
    "fastlane.py",
    "params.py",
    "prefixes.py",
    "queries.py",
    "sparqlvet.py",
    "yamlsafe.py",
)
_PREPARED_MAGIC = "azgraph-prepared-1"
_FORMS = ("select", "ask", "construct")
_code_digest: str | None = None


# --- the project ------------------------------------------------------------------------------


def is_project(folder: str) -> bool:
    return all(os.path.exists(os.path.join(folder, marker)) for marker in MARKERS)


def find_root(start: str) -> str | None:
    """The nearest folder at or above ``start`` (resolved) that holds an azgraph project."""
    folder = os.path.realpath(start)
    while True:
        if is_project(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def data_names(folder: str) -> list[str]:
    """The names of the ``*.ttl`` files in ``folder``, sorted; none if it cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(name for name in names if name.endswith(".ttl"))


def graph_paths(root: str) -> list[str]:
    """The files `query run` loads: the ontology, then ``data/*.ttl`` in name order."""
    data = os.path.join(root, "data")
    return [os.path.join(root, MARKERS[0]), *(os.path.join(data, n) for n in data_names(data))]


def query_path(folder: str, name: str) -> tuple[str, bool]:
    """Where the query ``name`` of `query run NAME|FILE` is, and whether it was given as a file
    (a ``.rq`` name or an existing file) rather than as a query in ``folder``."""
    if name.endswith(".rq") or os.path.isfile(name):
        return name, True
    return os.path.join(folder, f"{name}.rq"), False


def fits_store_cache(files: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether ``files`` are small enough for the on-disk store (OSError propagates)."""
    return sum(os.stat(path).st_size for path in files) <= QUERY_CACHE_MAX_BYTES


# --- cache keys -------------------------------------------------------------------------------


def cache_root() -> str | None:
    """The cache folder (see cache.py), or None when the user turned the cache off."""
    if os.environ.get("AZGRAPH_CACHE", "").lower() in {"0", "off", "no", "false"}:
        return None
    explicit = os.environ.get("AZGRAPH_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "azgraph")


def text_key(text: str) -> str:
    """A 256-bit BLAKE2 digest of ``text``."""
    return blake2b(text.encode("utf-8"), digest_size=32).hexdigest()


def content_key(files: Iterable[str | os.PathLike[str]], *, salt: str = "") -> str:
    """A 256-bit BLAKE2 digest of each file's name and bytes, in order (OSError propagates)."""
    digest = blake2b(f"{salt}\0{ox.__version__}\0".encode(), digest_size=32)
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"{os.path.basename(path)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def store_folder(root: str, files: Iterable[str | os.PathLike[str]]) -> str:
    """Where the on-disk store holding ``files`` is cached under ``root``."""
    return os.path.join(root, "stores", content_key(files, salt="store"))


def prepared_key(query_text: str, given: dict[str, str]) -> str:
    """The key of a query's prepared text: its text, the ``--param`` values, and the code that
    binds and vets them."""
    global _code_digest
    if _code_digest is None:
        here = os.path.dirname(os.path.abspath(__file__))
        _code_digest = content_key(os.path.join(here, name) for name in _PREPARING_MODULES)
    params = "".join(f"{k}\0{v}\0" for k, v in sorted(given.items()))
    return text_key(f"{_code_digest}\0{params}\0{query_text}")


def encode_prepared(form: str, text: str) -> bytes:
    return f"{_PREPARED_MAGIC}\n{form}\n{text}".encode()


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
    if magic != _PREPARED_MAGIC or form not in _FORMS:
        return None
    if "\\U" in text.upper() or _may_call_service(text) or not _surely_bounded(text):
        return None
    return form, text


# sparqlvet.MAX_NESTING and MAX_PATTERNS (tests/test_queries.py keeps them equal): that module
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


# --- running ----------------------------------------------------------------------------------


def execute(
    store: Any, text: str, form: str, limit: int | None, convert: Callable[[Any], Any]
) -> tuple[str, tuple[str, ...], tuple[Any, ...], bool | None, tuple[Any, ...]]:
    """Run prepared ``text`` on ``store``: the fields of a `queries.QueryResult`, in order.

    SyntaxError propagates (queries.py turns it into a located QueryError).
    """
    from .prefixes import PREFIXES

    answer = store.query(text, prefixes=PREFIXES)
    if form == "ask":
        return "ask", (), (), bool(answer), ()
    if form == "construct":
        triples = tuple(
            (convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer
        )
        return "construct", (), (), None, triples
    variables = tuple(v.value for v in answer.variables)
    rows = []
    for i, solution in enumerate(answer):
        if limit is not None and i >= limit:
            break
        rows.append(tuple(convert(solution[v]) for v in variables))
    return "select", variables, tuple(rows), None, ()


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
        folder = store_folder(root, files)
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
    from .deadline import DeadlineError, run_with_deadline

    try:
        result = run_with_deadline(lambda: execute(store, text, form, limit, same_term), timeout)
    except (SyntaxError, OSError, RuntimeError):
        return None  # the full lane reports a syntax error with its line, or a damaged store
    except DeadlineError:
        from pathlib import Path

        from .queries import timeout_error

        raise timeout_error(timeout, Path(path)) from None
    from .render import render_boolean, render_rows

    if form == "ask":
        return render_boolean(result[3], str(opts["format"]))
    return render_rows(result[1], result[2], str(opts["format"]))


def same_term(term: Any) -> Any:
    """The ``convert`` of `execute` that keeps pyoxigraph's own terms."""
    return term
