"""A per-user cache that lets `azgraph query run` answer without re-reading the graph.

Why: parsing the dumps costs a cold process about 60 ms and importing PyYAML for the query
header about 50 ms, against a 100 ms budget for the whole command. Both results depend only on
file contents, so they are cached under a key that is a BLAKE2 digest of those contents (and of the
pyoxigraph version): an edit, a rebuild or an upgrade changes the key, and a stale entry is never
read. The cache is an optimisation only: if it cannot be written (read-only home, full disk) the
command works as before, in memory. Entries: ``stores/`` (the dumps, as read-only pyoxigraph
stores), ``query-headers/`` (parsed headers, JSON), ``prepared/`` (a query's bound and vetted
text, read by fastlane.py) and ``build/`` (buildcache.py).

Where: ``$AZGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/azgraph``, else ``~/.cache/azgraph``.
``AZGRAPH_CACHE=off`` turns it off. Only the newest `KEEP_STORES` stores are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

# The key functions are shared with the fast lane, which must not import this module's pathlib
from azgraph.paths import READY as _READY
from azgraph.paths import blake2b as blake2b
from azgraph.paths import cache_root, store_folder
from azgraph.paths import content_key as content_key
from azgraph.paths import text_key as text_key

KEEP_STORES = 3


def cache_dir() -> Path | None:
    """The cache folder, or None when the user turned the cache off."""
    root = cache_root()
    return Path(root) if root is not None else None


def cached_store(files: list[Path], load: Any) -> ox.Store:
    """A read-only on-disk store holding ``files``, made once by ``load(store, files)``.

    ``load`` fills a store and raises the project's usual errors on bad input; those errors
    propagate and nothing is left in the cache. Without a usable cache the store is in memory.
    """
    root = cache_dir()
    try:
        folder = (
            Path(store_folder(str(root), files, engine=ox.__version__))
            if root is not None
            else None
        )
    except OSError:
        folder = None  # let `load` report the unreadable file with its usual message
    if root is None or folder is None:
        store = ox.Store()
        load(store, files)
        return store
    if (folder / _READY).is_file():
        try:
            return ox.Store.read_only(str(folder))
        except (OSError, RuntimeError):  # damaged (RocksDB says "Corruption"): make it again
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return _fill(root, folder, files, load)


def _fill(root: Path, folder: Path, files: list[Path], load: Any) -> ox.Store:
    """Load into a fresh folder and publish it with one rename, so readers never see half."""
    import shutil

    temp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    try:
        temp.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(temp, ignore_errors=True)
        store = ox.Store(str(temp))
    except OSError:
        store = ox.Store()
        load(store, files)
        return store
    try:
        load(store, files)
        store.optimize()  # compacted once here, reads later run about twice as fast
        store.flush()
        del store
        (temp / _READY).write_text("ok\n", encoding="utf-8")
        os.replace(temp, folder)
    except OSError:
        # Another process published the same key first, or the disk is full: either way the
        # answer does not depend on this copy.
        shutil.rmtree(temp, ignore_errors=True)
        if not (folder / _READY).is_file():
            store = ox.Store()
            load(store, files)
            return store
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    _prune(root / "stores")
    return ox.Store.read_only(str(folder))


def _prune(stores: Path) -> None:
    """Keep the newest `KEEP_STORES` complete stores; drop older ones and abandoned temp folders."""
    import shutil

    with contextlib.suppress(OSError):
        ready = sorted(
            (p for p in stores.iterdir() if (p / _READY).is_file()),
            key=lambda p: (p / _READY).stat().st_mtime_ns,
            reverse=True,
        )
        for old in ready[KEEP_STORES:]:
            shutil.rmtree(old, ignore_errors=True)


def read_json(kind: str, key: str) -> Any:
    """A cached JSON value, or None when absent, unreadable or turned off."""
    root = cache_dir()
    if root is None:
        return None
    try:
        return json.loads((root / kind / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(kind: str, key: str, value: Any) -> bool:
    """Cache a JSON value atomically; failures are ignored (the cache is optional)."""
    return write_entry(kind, f"{key}.json", json.dumps(value, ensure_ascii=False).encode("utf-8"))


def write_entry(kind: str, name: str, data: bytes) -> bool:
    """Write ``data`` as cache entry ``kind/name`` atomically; False if it could not be written
    (or the cache is off), which callers may ignore: the cache is optional."""
    root = cache_dir()
    if root is None:
        return False
    target = root / kind / name
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return False
    return True
