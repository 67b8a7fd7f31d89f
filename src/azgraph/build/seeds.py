"""Seed documents: their verbatim text, their metadata, and locating quotes in them.

Whitespace rule (documented in docs/curation.md): a quote matches the seed text when both are equal
after every run of Unicode whitespace (spaces, U+00A0 no-break spaces, tabs, line breaks) is
replaced by one space. Every other character must match exactly: curly quotes, dashes, accents and
the sources' misspellings included. Offsets count Unicode code points in the UTF-8 decoded file,
0-based, end exclusive; the quote's first and last characters are never whitespace.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from azgraph.errors import InputError
from azgraph.yamlsafe import load_yaml

_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse each run of whitespace to one space and trim both ends."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Location:
    """Where a quote sits in a seed: 0-based code-point offsets and the 1-based start line."""

    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Seed:
    """One source document: its verbatim text plus the metadata from ``seeds/<id>.yaml``."""

    id: str
    path: Path
    text: str
    sha256: str
    meta: dict[str, object]

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def excerpt(self, start: int, end: int) -> str:
        """The text between two offsets, white space collapsed, in Unicode NFC (as curated
        quotes are read), so that a quote matches its seed whichever form either was typed in."""
        return unicodedata.normalize("NFC", normalize_ws(self.text[start:end]))

    def locate(self, quote: str) -> list[Location]:
        """Every place where ``quote`` occurs under the whitespace rule, in any normal form."""
        found: list[Location] = []
        for form in ("NFC", "NFD"):
            found = self._find(unicodedata.normalize(form, normalize_ws(quote)))
            if found:
                break
        return found

    def _find(self, target: str) -> list[Location]:
        norm, index = _normalized_with_index(self.text)
        found: list[Location] = []
        if not target:
            return found
        pos = norm.find(target)
        while pos != -1:
            start = index[pos]
            end = index[pos + len(target) - 1] + 1
            found.append(Location(start, end, self.line_of(start)))
            pos = norm.find(target, pos + 1)
        return found

    def nearest(self, quote: str) -> tuple[str, Location] | None:
        """The seed passage most like ``quote`` (same length, starting at a word), for errors."""
        norm, index = _normalized_with_index(self.text)
        target = normalize_ws(quote)
        if not target or not norm:
            return None
        best, best_score = 0, -1.0
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(target)
        for begin in [0, *(m.end() for m in re.finditer(" ", norm))]:
            matcher.set_seq1(norm[begin : begin + len(target)])
            if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = begin, score
        finish = min(len(norm), best + len(target))
        start, end = index[best], index[finish - 1] + 1
        return normalize_ws(self.text[start:end]), Location(start, end, self.line_of(start))


def _normalized_with_index(text: str) -> tuple[str, list[int]]:
    """The whitespace-normalised text and, for each of its characters, the original offset."""
    out: list[str] = []
    index: list[int] = []
    in_ws = True  # leading whitespace is dropped
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_ws:
                out.append(" ")
                index.append(i)
            in_ws = True
        else:
            out.append(ch)
            index.append(i)
            in_ws = False
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


REQUIRED_META = (
    "id",
    "file",
    "sha256",
    "title",
    "author",
    "publisher",
    "publication_date",
    "language",
)


def load_seed(meta_path: Path) -> Seed:
    """Read ``seeds/<id>.yaml`` and the text file it names, checking the checksum."""
    meta = load_yaml(meta_path)
    if not isinstance(meta, dict):
        raise InputError("seed metadata must be a mapping", path=meta_path, line=1)
    for key in REQUIRED_META:
        if key not in meta:
            raise InputError(
                f"seed metadata lacks '{key}'", path=meta_path, hint=f"Add a '{key}:' line."
            )
    text_path = meta_path.parent / str(meta["file"])
    try:
        raw = text_path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read seed text: {exc.strerror}", path=text_path) from exc
    digest = hashlib.sha256(raw).hexdigest()
    if digest != meta["sha256"]:
        raise InputError(
            f"seed text has sha256 {digest}, metadata says {meta['sha256']}",
            path=text_path,
            hint="Seeds are verbatim and read-only: restore the file, or update sha256 on purpose.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"seed text is not UTF-8 (byte offset {exc.start})", path=text_path
        ) from exc
    if text.startswith("\ufeff"):
        raise InputError(
            "seed text starts with a byte-order mark",
            path=text_path,
            hint="Offsets would shift; save the seed without a BOM.",
        )
    return Seed(str(meta["id"]), text_path, text, digest, dict(meta))


def load_seeds(seeds_dir: Path) -> dict[str, Seed]:
    """All seeds in a folder, keyed by id, in id order."""
    seeds: dict[str, Seed] = {}
    for meta_path in sorted(seeds_dir.glob("*.yaml")):
        seed = load_seed(meta_path)
        if seed.id != meta_path.stem:
            raise InputError(
                f"seed id '{seed.id}' differs from the file name '{meta_path.stem}'",
                path=meta_path,
                hint="Name the metadata file <id>.yaml.",
            )
        seeds[seed.id] = seed
    return dict(sorted(seeds.items()))
