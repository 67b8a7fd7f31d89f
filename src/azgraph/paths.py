"""Where things are, and what cache entries are called: the one answer both lanes share.

Why a module with no imports but `os`: the cold lane of `query run` (fastlane.py) must start in
a few tens of milliseconds, and the standard modules the rest of azgraph leans on (pathlib, re,
typing, json) would add more than the query costs. Project discovery, the list of data files
and every cache key are worked out here, once, so the fast lane and the library can never
disagree about which files make the graph or what an entry is called.
"""

from __future__ import annotations

import os

try:  # hashlib's own BLAKE2, without the 5 ms import of OpenSSL that `import hashlib` costs
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - other Python implementations
    from hashlib import blake2b as blake2b

TYPE_CHECKING = False  # typing itself costs a cold process about 8 ms (it imports re)
if TYPE_CHECKING:
    from collections.abc import Iterable

MARKERS = ("ontology/azgraph.ttl", "curated")
READY = "ready"  # written last: a store folder without it is incomplete and never opened

# Above this many bytes of Turtle (about 40,000 triples, four times the bundled graph), `query
# run` loads the dumps into memory instead: RocksDB answers heavy queries 4-16 times slower than
# the in-memory store (measured on the x10 corpus: facts-about 1.0 s on disk, 0.15 s in memory),
# which outweighs the load time saved.
QUERY_CACHE_MAX_BYTES = 4_000_000

PREPARED_MAGIC = "azgraph-prepared-1"  # the first line of a prepared query's cache entry
PACKAGE = os.path.dirname(os.path.abspath(__file__))
_code_digests: dict[str, str] = {}


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
    """A 256-bit BLAKE2 digest of ``salt`` and each file's name and bytes, in order (OSError
    propagates)."""
    digest = blake2b(f"{salt}\0".encode(), digest_size=32)
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"{os.path.basename(path)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def store_folder(root: str, files: Iterable[str | os.PathLike[str]], *, engine: str) -> str:
    """Where the on-disk store holding ``files``, written by pyoxigraph ``engine`` (its
    version), is cached under ``root``."""
    return os.path.join(root, "stores", content_key(files, salt=f"store\0{engine}"))


def code_digest(package: str = PACKAGE) -> str:
    """A digest of every Python source file of the azgraph package (names and bytes).

    The one rule for what a cache entry depends on in code: any change to any module changes
    every key, so no hand-kept list of "modules that matter" can go stale and serve output an
    older version made. ``package`` is for tests.
    """
    found = _code_digests.get(package)
    if found is None:
        files = []
        for folder, dirs, names in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".py")]
        relative = [os.path.relpath(f, package) for f in files]
        found = content_key(files, salt="\0".join(relative))
        _code_digests[package] = found
    return found


def prepared_key(query_text: str, given: dict[str, str]) -> str:
    """The key of a query's prepared text: its text, the ``--param`` values, and the code that
    binds and vets them."""
    params = "".join(f"{k}\0{v}\0" for k, v in sorted(given.items()))
    return text_key(f"{code_digest()}\0{params}\0{query_text}")


def encode_prepared(form: str, text: str) -> bytes:
    """A prepared query's cache entry (`fastlane.decode_prepared` reads it back)."""
    return f"{PREPARED_MAGIC}\n{form}\n{text}".encode()
