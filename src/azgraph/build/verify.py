"""Every value against its quote: the build's check that a fact says what its evidence says.

The quote check (curated.py) proves that each quote sits in its seed; this one proves that each
fact's literal value (a number, a date, a name as written) is found in the fact's own quotes
under the rules of `normalise`, and that each entity object is named there by one of its names
(its label, or any ``nameAsWritten``, ``label`` or ``altLabel`` value any curated file gives
it). A fact that the quote does not state word for word carries a marker saying how it was
derived — ``derived: {kind, why}``, or ``status: inferred`` with a ``note`` (kind ``inferred``)
— and is counted, not checked. ``claimText`` facts are the editors' paraphrases: counted, never
checked. Every mismatch of a build is collected; the error names the first, with the count of
the others (``azgraph build --verbose`` lists them all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from azgraph.build.curated import Curated, Derivation, Fact
from azgraph.build.normalise import as_number, find_date, find_number, find_text, shorten
from azgraph.build.vocab import PropertyKind, Vocabulary
from azgraph.errors import CurationError
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.triples import TripleSink

if TYPE_CHECKING:
    from azgraph.build.buildcache import CachedSeed

PARAPHRASE = "claimText"
NAME_PROPERTIES = ("nameAsWritten", "label", "altLabel")
HINT = "Fix the value, or mark it derived and say how."
OBJECT_HINT = "Fix the object, or mark it derived and say how."
_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.nonNegativeInteger)}


@dataclass
class Tally:
    """How the facts of a build were verified: found in their quotes, or derived by kind."""

    values: int = 0
    objects: int = 0
    paraphrases: int = 0
    derived: dict[str, int] = field(default_factory=dict)
    derived_objects: int = 0

    def add(self, other: Tally) -> None:
        self.values += other.values
        self.objects += other.objects
        self.paraphrases += other.paraphrases
        self.derived_objects += other.derived_objects
        for kind, count in other.derived.items():
            self.derived[kind] = self.derived.get(kind, 0) + count

    def to_json(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "objects": self.objects,
            "paraphrases": self.paraphrases,
            "derived": dict(sorted(self.derived.items())),
            "derived_objects": self.derived_objects,
        }

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        out = cls()
        for tally in tallies:
            out.add(tally)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Tally:
        return cls(
            int(data["values"]),
            int(data["objects"]),
            int(data["paraphrases"]),
            {str(k): int(v) for k, v in data["derived"].items()},
            int(data["derived_objects"]),
        )

    def summary(self) -> str:
        """One line for the build's output."""
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.derived.items()))
        return (
            f"verified in their quotes: {self.values} values, {self.objects} entity objects; "
            f"derived: {sum(self.derived.values())}"
            + (f" ({kinds})" if kinds else "")
            + f"; {self.paraphrases} paraphrases not checked"
        )


@dataclass(frozen=True)
class ObjectCheck:
    """An entity object to look for in its quotes: kept in the build cache, so that a cached seed
    is checked again against the names the other files give."""

    line: int
    obj: str
    quotes: tuple[str, ...]

    def to_json(self) -> list[Any]:
        return [self.line, self.obj, list(self.quotes)]

    @classmethod
    def from_json(cls, data: list[Any]) -> ObjectCheck:
        return cls(int(data[0]), str(data[1]), tuple(str(q) for q in data[2]))


class ValueCheckError(CurationError):
    """Values or entity objects that their quotes do not state; ``problems`` holds every one."""

    def __init__(self, problems: list[CurationError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)
        self.problems = problems

    def __str__(self) -> str:
        more = len(self.problems) - 1
        text = super().__str__()
        if more:
            text += f" ({more} more; 'azgraph build --verbose' lists them all.)"
        return text


def marker(fact: Fact) -> Derivation | None:
    """How the fact was derived, if it says so: its ``derived`` marker, or an inferred status."""
    if fact.derived is not None:
        return fact.derived
    if fact.status == "inferred" and fact.note:
        return Derivation("inferred", fact.note)
    return None


def annotate_derivation(graph: TripleSink, axiom: Node, fact: Fact) -> None:
    """Carry the fact's marker onto its axiom: ``az:derivation`` (the kind) and
    ``az:derivationNote`` (the why; an inferred status gives its reason in the editorial note)."""
    mark = marker(fact)
    if mark is not None:
        graph.add((axiom, AZ.derivation, Literal(mark.kind)))
        if fact.derived is not None:
            graph.add((axiom, AZ.derivationNote, Literal(mark.why, lang="en")))


def names_of(cur: Curated) -> dict[str, list[str]]:
    """The names one curated file gives its entities (label, names as written, other labels)."""
    names: dict[str, list[str]] = {}
    for ent in cur.entities.values():
        names.setdefault(ent.id, []).append(ent.label)
    for fact in cur.facts:
        if fact.p in NAME_PROPERTIES and fact.v:
            names.setdefault(fact.s, []).append(fact.v)
    return names


def merge_names(tables: Iterable[Mapping[str, list[str]]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for table in tables:
        for ent, names in table.items():
            merged.setdefault(ent, []).extend(names)
    return merged


def object_checks(cur: Curated) -> list[ObjectCheck]:
    """The entity objects of one file that must be named in their quotes (not marked derived)."""
    return [
        ObjectCheck(fact.yaml_line, fact.o, tuple(cur.evidence[e].quote for e in fact.evidence))
        for fact in cur.facts
        if fact.o is not None and marker(fact) is None and not fact.o.startswith("source:")
    ]


def verify_values(cur: Curated, vocab: Vocabulary) -> tuple[Tally, list[CurationError]]:
    """Count one file's facts, and list each literal value its quotes do not state."""
    tally, problems = Tally(), []
    for fact in cur.facts:
        mark = marker(fact)
        if fact.p == PARAPHRASE:
            tally.paraphrases += 1
        elif mark is not None:
            tally.derived[mark.kind] = tally.derived.get(mark.kind, 0) + 1
            tally.derived_objects += fact.o is not None
        elif fact.o is not None:
            tally.objects += 1
        elif fact.v is not None:
            quotes = [cur.evidence[e].quote for e in fact.evidence]
            problem = _value_problem(fact, fact.v, quotes, _form(fact.p, vocab))
            if problem is None:
                tally.values += 1
            else:
                problems.append(problem)
    return tally, problems


def _form(prop: str, vocab: Vocabulary) -> str:
    info = vocab.properties.get(prop)
    if info is None or info.kind is not PropertyKind.DATATYPE:
        return "text"
    if info.range is not None and str(info.range) == str(XSD.dateTime):
        return "date"
    if info.range is not None and str(info.range) in _NUMBERS:
        return "number"
    return "text"


def _value_problem(fact: Fact, value: str, quotes: list[str], form: str) -> CurationError | None:
    finder = {"date": find_date, "number": find_number, "text": find_text}[form]
    if form == "text" and as_number(value) is not None:
        finder = find_number  # a number kept as text (a unit-less count) is still a number
    if any(finder(value, quote) >= 0 for quote in quotes):
        return None
    return CurationError(
        f"{value} is not in its quote ({_closest(value, quotes, form)})",
        path=fact.path,
        line=fact.yaml_line,
        hint=HINT,
    )


def check_objects(
    checks: Iterable[ObjectCheck], names: Mapping[str, list[str]], path: Path
) -> list[CurationError]:
    """Each entity object that none of its names in its quotes mentions."""
    problems = []
    for check in checks:
        known = names.get(check.obj, [])
        if any(find_text(name, q) >= 0 for name in known for q in check.quotes):
            continue
        named = ", ".join(f"'{n}'" for n in sorted(set(known))) or "none"
        problems.append(
            CurationError(
                f"{check.obj} is not named in its quote ({_closest(check.obj, check.quotes, '')}; "
                f"its names: {named})",
                path=path,
                line=check.line,
                hint=OBJECT_HINT,
            )
        )
    return problems


def _closest(value: str, quotes: Iterable[str], form: str) -> str:
    """The quote, shortened around what comes closest to ``value``."""
    import difflib

    quote = next(iter(quotes), "")
    best, at = 0.0, 0
    for text in quotes:
        for i, word in enumerate(_words(text)):
            score = difflib.SequenceMatcher(None, value.casefold(), word[1].casefold()).ratio()
            if form in ("date", "number") and not any(c.isdigit() for c in word[1]):
                score /= 2
            if score > best:
                best, at, quote = score, word[0], text
            del i
    return f'"{shorten(quote, at)}"'


def _words(text: str) -> list[tuple[int, str]]:
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]


def verify_project(
    parsed: Iterable[Curated],
    cached: Mapping[str, tuple[Mapping[str, Any], Path]],
    vocab: Vocabulary,
) -> dict[str, Tally]:
    """Check every seed's values and entity objects against their quotes; the tally per seed.

    ``parsed`` are the curated files read in this build; ``cached`` the build-cache records
    (`record`) of the others with their file, whose entity objects are checked again because
    another file may have changed the names they rely on. Raises `ValueCheckError` listing every
    mismatch, in file and line order.
    """
    parsed = list(parsed)
    tables = [names_of(cur) for cur in parsed]
    tables += [{k: list(v) for k, v in rec["names"].items()} for rec, _ in cached.values()]
    names = merge_names(tables)
    tallies: dict[str, Tally] = {}
    problems: list[CurationError] = []
    for cur in parsed:
        tallies[cur.seed], found = verify_values(cur, vocab)
        problems += found + check_objects(object_checks(cur), names, cur.path)
    for seed, (rec, path) in cached.items():
        checks = [ObjectCheck.from_json(item) for item in rec["objects"]]
        problems += check_objects(checks, names, path)
        tallies[seed] = Tally.from_json(rec["tally"])
    if problems:
        problems.sort(key=lambda p: (str(p.path), p.line or 0))
        raise ValueCheckError(problems)
    return dict(sorted(tallies.items()))


def verify_build(
    curated: Mapping[str, Curated],
    cached: Mapping[str, CachedSeed],
    vocab: Vocabulary,
    fresh: Mapping[str, CachedSeed] | None = None,
) -> Tally:
    """`verify_project` over a build's inputs (compile.py), run after the other checks; what the
    cache needs to check a seed again is added to the records of the ``fresh`` ones."""
    records = {seed: (hit.meta["verify"], curated[seed].path) for seed, hit in cached.items()}
    parsed = [cur for seed, cur in curated.items() if seed not in cached]
    tallies = verify_project(parsed, records, vocab)
    for seed, compiled in (fresh or {}).items():
        if seed in curated:
            compiled.meta["verify"] = record(curated[seed], tallies[seed])
    return Tally.total(tallies.values())


def record(cur: Curated, tally: Tally) -> dict[str, Any]:
    """What the build cache keeps of a seed for checking it again without parsing it."""
    return {
        "names": names_of(cur),
        "objects": [check.to_json() for check in object_checks(cur)],
        "tally": tally.to_json(),
    }
