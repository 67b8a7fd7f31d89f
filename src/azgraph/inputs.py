"""Reading an input file whole, with the project's errors for unreadable and oversized files.

One place, so that every reader (YAML, the ontology) refuses a file too large to be a real input
before holding it in memory, with the same message.
"""

from __future__ import annotations

from pathlib import Path

from azgraph.errors import InputError


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; InputError if it cannot be read or is larger than ``limit``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from exc
    if len(data) > limit:
        raise InputError(f"file is larger than {limit} bytes", path=path)
    return data
