"""Reading curated facts (``curated/<seed>.yaml``) into typed records, with file:line errors.

This module checks the shape of each file: required fields, identifier syntax, evidence
placement in its seed. Whether a property or class exists is checked by `build.py` against
the ontology, because only the ontology knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from azgraph.build.seeds import Seed, normalize_ws
from azgraph.errors import CurationError
from azgraph.rdf.prefixes import INSTANCE_KINDS
from azgraph.yamlsafe import YList, YMap, load_yaml

CURIE = re.compile(r"^(?P<kind>[a-z]+):(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
EVIDENCE_ID = re.compile(r"^(?P<seed>[a-z0-9]+(?:-[a-z0-9]+)*)-e(?P<num>\d{3,})$")
PROPERTY_NAME = re.compile(r"^[a-z][A-Za-z0-9]*$")
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
STATUSES = ("inferred", "disputed")
DERIVATIONS = ("computed", "inferred", "spelling", "translation")
FACT_KEYS = {"s", "p", "o", "v", "lang", "ev", "status", "note", "approx", "derived"}
ENTITY_KEYS = {"type", "label", "note"}
EVIDENCE_KEYS = {"quote", "line", "start", "end"}


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote at a checked location in one seed."""

    id: str
    seed: str
    quote: str
    line: int
    start: int
    end: int
    path: Path
    yaml_line: int


@dataclass(frozen=True)
class Entity:
    """A thing the graph describes: its identifier, class and canonical English label."""

    id: str
    type: str
    label: str
    note: str | None
    path: Path
    yaml_line: int


@dataclass(frozen=True)
class Fact:
    """One assertion: subject, property and either an object entity or a literal value."""

    s: str
    p: str
    o: str | None
    v: str | None
    lang: str | None
    evidence: tuple[str, ...]
    status: str | None
    note: str | None
    approx: bool
    path: Path
    yaml_line: int
    derived: Derivation | None = None


@dataclass(frozen=True)
class Derivation:
    """How a value that its quote does not state was obtained (docs/curation.md)."""

    kind: str
    why: str


@dataclass
class Curated:
    """Everything one curated file says."""

    seed: str
    path: Path
    evidence: dict[str, Evidence] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)


def load_curated(path: Path, seeds: dict[str, Seed]) -> Curated:
    """Parse and check one curated file; quotes are verified against their seed."""
    doc = load_yaml(path)
    if doc is None:
        raise CurationError(
            "file is empty",
            path=path,
            line=1,
            hint="Start with 'seed: <seed-id>' (see docs/curation.md).",
        )
    if not isinstance(doc, YMap):
        raise CurationError("top level must be a mapping", path=path, line=1)
    _no_extra(doc, {"seed", "evidence", "entities", "facts"}, path)
    seed_id = _required_str(doc, "seed", path)
    if seed_id not in seeds:
        raise CurationError(
            f"unknown seed '{seed_id}'",
            path=path,
            line=doc.line_of("seed"),
            hint=f"Use one of: {', '.join(seeds)}.",
        )
    if path.stem != seed_id:
        raise CurationError(
            f"file is named '{path.name}' but declares seed '{seed_id}'",
            path=path,
            line=doc.line_of("seed"),
            hint=f"Rename it to {seed_id}.yaml.",
        )
    curated = Curated(seed_id, path)
    seed = seeds[seed_id]
    for ev_id, body in _mapping(doc, "evidence", path).items():
        line = _mapping(doc, "evidence", path).line_of(ev_id)
        curated.evidence[ev_id] = _evidence(ev_id, body, seed, path, line)
    for ent_id, body in _mapping(doc, "entities", path).items():
        line = _mapping(doc, "entities", path).line_of(ent_id)
        curated.entities[ent_id] = _entity(ent_id, body, path, line)
    facts = doc.get("facts", YList())
    if not isinstance(facts, list):
        raise CurationError("'facts' must be a list", path=path, line=doc.line_of("facts"))
    for item in facts:
        curated.facts.append(_fact(item, curated, path))
    return curated


def _mapping(doc: YMap, key: str, path: Path) -> YMap:
    value = doc.get(key)
    if value is None:
        empty = YMap()
        empty.key_lines = {}
        return empty
    if not isinstance(value, YMap):
        raise CurationError(f"'{key}' must be a mapping", path=path, line=doc.line_of(key))
    return value


def _no_extra(body: YMap, allowed: set[str], path: Path) -> None:
    for key in body:
        if key not in allowed:
            raise CurationError(
                f"unknown field '{key}'",
                path=path,
                line=body.line_of(key),
                hint=f"Allowed fields: {', '.join(sorted(allowed))}.",
            )


def _required_str(body: YMap, key: str, path: Path) -> str:
    if key not in body:
        raise CurationError(f"missing required field '{key}'", path=path, line=body.line)
    value = body[key]
    if not isinstance(value, str) or not value.strip():
        raise CurationError(f"'{key}' must be a non-empty text", path=path, line=body.line_of(key))
    return value


def _int(body: YMap, key: str, path: Path) -> int:
    text = _required_str(body, key, path)
    if not text.isdigit():
        raise CurationError(
            f"'{key}' must be a whole number, not '{text}'", path=path, line=body.line_of(key)
        )
    return int(text)


def _evidence(ev_id: str, body: object, seed: Seed, path: Path, line: int) -> Evidence:
    match = EVIDENCE_ID.match(ev_id)
    if not match or match["seed"] != seed.id:
        raise CurationError(
            f"evidence id '{ev_id}' is malformed",
            path=path,
            line=line,
            hint=f"Write it as {seed.id}-eNNN (three or more digits).",
        )
    if not isinstance(body, YMap):
        raise CurationError(f"evidence '{ev_id}' must be a mapping", path=path, line=line)
    _no_extra(body, EVIDENCE_KEYS, path)
    quote = normalize_ws(_required_str(body, "quote", path))
    start, end, at = _int(body, "start", path), _int(body, "end", path), _int(body, "line", path)
    found = seed.excerpt(start, end) if 0 <= start < end <= len(seed.text) else None
    edges_ok = (
        found is not None and not seed.text[start].isspace() and not seed.text[end - 1].isspace()
    )
    if found != quote or not edges_ok or seed.line_of(start) != at:
        raise CurationError(
            _misplaced(seed, quote, start, end, at),
            path=path,
            line=body.line_of("quote"),
            hint="Run 'azgraph locate' to get the right line and offsets.",
        )
    return Evidence(ev_id, seed.id, quote, at, start, end, path, line)


def _misplaced(seed: Seed, quote: str, start: int, end: int, line: int) -> str:
    places = seed.locate(quote)
    if places:
        where = ", ".join(f"line {p.line}, start {p.start}, end {p.end}" for p in places)
        return (
            f"quote is in {seed.id} but not at line {line}, start {start}, end {end}; "
            f"it is at {where}"
        )
    near = seed.nearest(quote)
    if near is None:
        return f"quote is not in {seed.id}"
    text, loc = near
    return f'quote is not in {seed.id}; nearest passage (line {loc.line}): "{text}"'


def _entity(ent_id: str, body: object, path: Path, line: int) -> Entity:
    check_curie(ent_id, path, line)
    if not isinstance(body, YMap):
        raise CurationError(f"entity '{ent_id}' must be a mapping", path=path, line=line)
    _no_extra(body, ENTITY_KEYS, path)
    note = body.get("note")
    return Entity(
        ent_id,
        _required_str(body, "type", path),
        _required_str(body, "label", path),
        note if isinstance(note, str) else None,
        path,
        line,
    )


def check_curie(value: str, path: Path, line: int) -> None:
    match = CURIE.match(value)
    if not match or match["kind"] not in INSTANCE_KINDS:
        raise CurationError(
            f"'{value}' is not a valid identifier",
            path=path,
            line=line,
            hint=(
                "Write kind:slug with a lowercase ASCII kebab-case slug; kinds: "
                + ", ".join(INSTANCE_KINDS)
                + "."
            ),
        )


def _fact(item: object, curated: Curated, path: Path) -> Fact:
    if not isinstance(item, YMap):
        line = getattr(item, "line", 0) or None
        raise CurationError("each fact must be a mapping", path=path, line=line)
    _no_extra(item, FACT_KEYS, path)
    subject = _required_str(item, "s", path)
    check_curie(subject, path, item.line_of("s"))
    prop = _required_str(item, "p", path)
    if not PROPERTY_NAME.match(prop):
        raise CurationError(
            f"'{prop}' is not a property name",
            path=path,
            line=item.line_of("p"),
            hint="Use an az: local name such as signatory or lengthKm, or 'label'.",
        )
    obj, value = item.get("o"), item.get("v")
    if (obj is None) == (value is None):
        raise CurationError(
            "a fact needs exactly one of 'o' (an entity) or 'v' (a value)",
            path=path,
            line=item.line,
        )
    if obj is not None:
        if not isinstance(obj, str):
            raise CurationError("'o' must be an identifier", path=path, line=item.line_of("o"))
        check_curie(obj, path, item.line_of("o"))
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise CurationError("'v' must be a non-empty text", path=path, line=item.line_of("v"))
    lang = item.get("lang")
    if lang is not None and (not isinstance(lang, str) or not LANG_TAG.match(lang)):
        raise CurationError(
            f"'{lang}' is not a BCP 47 language tag",
            path=path,
            line=item.line_of("lang"),
            hint="Use a tag such as en, tr or az.",
        )
    evidence = _evidence_refs(item, curated, path)
    status, note = item.get("status"), item.get("note")
    if status is not None and status not in STATUSES:
        raise CurationError(
            f"unknown status '{status}'",
            path=path,
            line=item.line_of("status"),
            hint=f"Use one of: {', '.join(STATUSES)}.",
        )
    if status is not None and not (isinstance(note, str) and note.strip()):
        raise CurationError(
            f"{'an' if status[0] in 'aeiou' else 'a'} '{status}' fact needs a 'note' "
            "that explains it",
            path=path,
            line=item.line_of("status"),
        )
    approx = item.get("approx")
    if approx not in (None, "true"):
        raise CurationError("'approx' can only be 'true'", path=path, line=item.line_of("approx"))
    return Fact(
        subject,
        prop,
        obj,
        value,
        lang,
        evidence,
        status,
        note if isinstance(note, str) else None,
        approx == "true",
        path,
        item.line,
        _derivation(item, path),
    )


def _derivation(item: YMap, path: Path) -> Derivation | None:
    """The ``derived: {kind, why}`` marker, checked; None when the fact has none."""
    if "derived" not in item:
        return None
    body, line = item["derived"], item.line_of("derived")
    if not isinstance(body, YMap):
        raise CurationError(
            "'derived' must be a mapping", path=path, line=line, hint='Write {kind: …, why: "…"}.'
        )
    _no_extra(body, {"kind", "why"}, path)
    kind, why = body.get("kind"), body.get("why")
    if kind not in DERIVATIONS:
        raise CurationError(
            f"unknown derivation kind '{kind}'" if kind else "'derived' needs a 'kind'",
            path=path,
            line=line,
            hint=f"Use one of: {', '.join(DERIVATIONS)}.",
        )
    if not (isinstance(why, str) and why.strip()):
        raise CurationError(
            "a 'derived' marker needs a 'why' that says how the value was derived",
            path=path,
            line=line,
            hint="Say it, e.g. why: \"the source writes 'Haydar Aliyey'\".",
        )
    return Derivation(kind, why.strip())


def _evidence_refs(item: YMap, curated: Curated, path: Path) -> tuple[str, ...]:
    raw = item.get("ev")
    refs = [raw] if isinstance(raw, str) else raw
    if not refs or not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise CurationError(
            "a fact needs 'ev': one evidence id or a list of them",
            path=path,
            line=item.line,
            hint="Every fact must cite the quote it comes from.",
        )
    for ref in refs:
        if ref not in curated.evidence:
            raise CurationError(
                f"unknown evidence '{ref}'",
                path=path,
                line=item.line_of("ev"),
                hint="Add it under 'evidence:' in this file first.",
            )
    if len(set(refs)) != len(refs):
        raise CurationError("the same evidence is cited twice", path=path, line=item.line_of("ev"))
    return tuple(sorted(refs))


def evidence_snippet(seeds: dict[str, Seed], seed_id: str, quote: str) -> str:
    """YAML lines for an evidence entry, or a CurationError with the nearest passage."""
    if seed_id not in seeds:
        raise CurationError(f"unknown seed '{seed_id}'", hint=f"Use one of: {', '.join(seeds)}.")
    seed = seeds[seed_id]
    places = seed.locate(quote)
    if not places:
        raise CurationError(
            _misplaced(seed, normalize_ws(quote), 0, 0, 0),
            hint="Copy the quote from the seed exactly (curly quotes included).",
        )
    lines = []
    for loc in places:
        text = seed.excerpt(loc.start, loc.end).replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'quote: "{text}"\nline: {loc.line}\nstart: {loc.start}\nend: {loc.end}\n')
    if len(lines) > 1:
        return "".join(f"# occurrence {i}\n{body}" for i, body in enumerate(lines, 1))
    return lines[0]
