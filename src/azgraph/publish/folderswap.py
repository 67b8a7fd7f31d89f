"""Replace a whole folder at once: readers, and a process killed at any moment, see either the
old folder or the new one, never a mix.

Why: a release is many files plus a SHA256SUMS that must match them. Replacing each file
atomically is not enough; a kill between two files left old and new dumps side by side, with
checksums that disagreed. So the new folder is written beside the old one (a hidden sibling in
the same parent, hence on the same file system), checked, and then switched in one step.

How the switch is made:

- Linux: ``renameat2(RENAME_EXCHANGE)`` swaps the two names in one system call, so the folder's
  name always points at a complete release; the old one, now under the hidden name, is removed.
- Elsewhere (or on a file system that cannot exchange): the old folder is renamed to
  ``.<name>.release-old``, then the new one into place. A kill between the two renames leaves
  no folder under the name for a moment; the next run finds ``.<name>.release-old`` and puts it
  back before doing anything else, so the old release is restored.

Hidden siblings left by a killed run (``.<name>.release-*``) are removed by the next run. The
new folder starts as hard links to the old folder's files (copies where links are refused), so
files that do not change keep their bytes and "changed" counts stay what they were; every
writer replaces a file through a new inode (`turtle.write_atomic`), never in place, so the old
release is never touched through a link.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from azgraph.errors import OutputError
from azgraph.locking import hold_lock

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def staging_names(folder: Path) -> tuple[str, str]:
    """The prefix of new-folder siblings, and the name the fallback gives the old folder."""
    return f".{folder.name}.release-new-", f".{folder.name}.release-old"


@contextlib.contextmanager
def replace_folder(
    folder: Path, *, keep: Callable[[Path], bool] = lambda _: True, wait: float = 30.0
) -> Iterator[Path]:
    """Yield a new folder to fill; when the block ends without error, it replaces ``folder``.

    The new folder starts with links to the files of the old one for which ``keep`` (given a
    path relative to the folder) is true. On an error the old folder is left as it was.
    """
    real = folder.resolve()
    if Path.cwd().resolve().is_relative_to(real):
        raise OutputError(
            "cannot replace the folder the command runs in",
            path=folder,
            hint="Run the command from outside it (e.g. from its parent folder).",
        )
    parent = real.parent
    with _parent_lock(parent, wait=wait):
        recover(real)
        work = parent / f"{staging_names(real)[0]}{secrets.token_hex(4)}"
        try:
            _prefill(real, work, keep)
            yield work
            _switch(work, real)
        finally:
            _remove(work)


def recover(folder: Path) -> None:
    """Undo what a killed run left: restore a moved-away old folder, remove unfinished ones."""
    new_prefix, old_name = staging_names(folder)
    old = folder.parent / old_name
    if old.is_dir() and not os.path.lexists(folder):
        os.rename(old, folder)
    for entry in folder.parent.iterdir():
        if entry.name.startswith(new_prefix) or entry.name == old_name:
            _remove(entry)


def _prefill(folder: Path, work: Path, keep: Callable[[Path], bool]) -> None:
    try:
        os.mkdir(work)
        if not folder.is_dir():
            return
        os.chmod(work, folder.stat().st_mode & 0o7777)
        for source in sorted(folder.rglob("*")):
            rel = source.relative_to(folder)
            if not keep(rel):
                continue
            target = work / rel
            if source.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(source), target)
            elif source.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copystat(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(source, target)
    except OSError as exc:
        raise OutputError(
            f"cannot prepare the new folder: {exc.strerror}",
            path=work,
            hint="Check that the parent folder is writable and has free space.",
        ) from exc


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _switch(work: Path, folder: Path) -> None:
    try:
        if not os.path.lexists(folder):
            os.rename(work, folder)
            return
        if _exchange(work, folder):
            return  # ``work`` now holds the old folder, removed by the caller
        old = folder.parent / staging_names(folder)[1]
        os.rename(folder, old)
        os.rename(work, folder)
        _remove(old)
    except OSError as exc:
        raise OutputError(
            f"cannot switch to the new folder: {exc.strerror}",
            path=folder,
            hint="The previous folder is unchanged; check permissions on its parent.",
        ) from exc


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def _parent_lock(parent: Path, *, wait: float) -> Iterator[None]:
    """One writer per parent folder: a lock on the folder itself, so no lock file is left."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(
            f"cannot open the parent folder: {exc.strerror}",
            path=parent,
            hint="Check that it exists and is writable.",
        ) from exc
    with hold_lock(fd, parent, wait=wait, writer="azgraph release"):
        yield
