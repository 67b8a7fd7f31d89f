"""Date facts across all curated files: one value per date, with every source's evidence.

Two sources may give one date at different precisions: the Second Karabakh War ends in "2020"
in one article and "On November 9" (2020) in the other. Stored naively that is two end times,
one of them 1 January, so the war seems to end the day it began. The build settles it here,
before any seed is compiled, from the date facts of every curated file:

- a date that **contains** a more precise date given for the same subject and property (any
  file) is stated as that more precise value; its axiom keeps its own evidence and says, with
  ``az:statedPrecision``, that its source gave less;
- dates for the same subject and property that **do not overlap** contradict each other: both
  stay, and each is marked ``az:claimStatus "disputed"`` with a note naming the other's evidence
  (a fact the curators already marked ``inferred`` must be decided by hand: build error).

Calendar periods are nested or disjoint, so these two cases are all there are. The result
depends only on the set of date facts, not on file or fact order, so output stays deterministic;
and a seed taken from the build cache is compiled again when its dates settle differently now
(`DateTable.signature`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from azgraph.build.curated import Curated, Fact
from azgraph.build.vocab import Vocabulary
from azgraph.errors import CurationError
from azgraph.rdf.dates import PRECISIONS, Period, parse_date
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.triples import TripleSink


@dataclass(frozen=True, order=True)
class DateClaim:
    """One curated date fact, reduced to what settling needs."""

    s: str
    p: str
    period: Period
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Settled:
    """How one date fact is stated: the value the graph gives, and any contradicting claims."""

    period: Period
    stated: Period
    disputed_by: tuple[DateClaim, ...]


def parse_curated_date(text: str, path: Path, line: int) -> Period:
    """`rdf.dates.parse_date` with the curated file's line in the error."""
    try:
        return parse_date(text)
    except ValueError as err:
        real = "real" in str(err)
        raise CurationError(
            str(err),
            path=path,
            line=line,
            hint="Check the month and the day." if real else "Write YYYY, YYYY-MM or YYYY-MM-DD.",
        ) from None


def date_claims(cur: Curated, vocab: Vocabulary) -> list[DateClaim]:
    """The date facts of one curated file (facts with a malformed date are left to compile)."""
    claims = []
    for fact in cur.facts:
        info = vocab.properties.get(fact.p)
        if info is None or info.range != XSD.dateTime or fact.v is None:
            continue
        try:
            claims.append(DateClaim(fact.s, fact.p, parse_date(fact.v), fact.evidence))
        except ValueError:
            continue
    return sorted(claims)


def claims_from_meta(rows: Iterable[list[Any]]) -> list[DateClaim]:
    """`DateClaim`s back from the build cache's JSON (see `claims_to_meta`)."""
    return [DateClaim(s, p, parse_date(v), tuple(ev)) for s, p, v, ev in rows]


def claims_to_meta(claims: Iterable[DateClaim]) -> list[list[Any]]:
    return [[c.s, c.p, str(c.period), list(c.evidence)] for c in claims]


class DateTable:
    """Every date fact of the project, grouped by subject and property."""

    def __init__(self, claims: Iterable[DateClaim]) -> None:
        self._groups: dict[tuple[str, str], set[DateClaim]] = {}
        for claim in claims:
            self._groups.setdefault((claim.s, claim.p), set()).add(claim)

    @classmethod
    def of_project(
        cls, curated: Iterable[Curated], cached: Iterable[dict[str, Any]], vocab: Vocabulary
    ) -> DateTable:
        """The date facts of the parsed curated files and of the cached seeds' metadata."""
        claims = [c for cur in curated for c in date_claims(cur, vocab)]
        claims += [c for meta in cached for c in claims_from_meta(meta["dates"])]
        return cls(claims)

    def describe(self, cur: Curated | None, vocab: Vocabulary) -> dict[str, Any]:
        """What the build cache keeps of a seed's dates: its claims and how they settled."""
        claims = date_claims(cur, vocab) if cur is not None else []
        return {"dates": claims_to_meta(claims), "settled": self.signature(claims)}

    def stale(self, meta: dict[str, Any]) -> bool:
        """True when a cached seed's dates settle differently now (another file changed)."""
        return bool(meta["settled"] != self.signature(claims_from_meta(meta["dates"])))

    def settle_fact(
        self, triple: tuple[URIRef, URIRef, URIRef | Literal], fact: Fact
    ) -> tuple[tuple[URIRef, URIRef, URIRef | Literal], Settled | None]:
        """The triple as the graph states it (a date settled), and how it was settled."""
        if not is_date(triple[2]) or fact.v is None:
            return triple, None
        settled = self.settle(fact.s, fact.p, parse_date(fact.v))
        return (triple[0], triple[1], date_literal(settled.period)), settled

    def settle(self, s: str, p: str, stated: Period) -> Settled:
        """The value to state for a fact giving ``stated`` as ``s``'s ``p``."""
        group = self._groups.get((s, p), set())
        finer = sorted({c.period for c in group if stated.contains(c.period)})
        # the finest value within `stated`, if all of them are nested (else they dispute each
        # other, and this fact keeps its own value)
        nested = all(b.contains(a) or a.contains(b) for a in finer for b in finer)
        best = max(finer, key=lambda q: PRECISIONS.index(q.precision)) if finer else stated
        others = tuple(sorted(c for c in group if not _overlap(c.period, stated)))
        return Settled(best if nested else stated, stated, others)

    def signature(self, claims: Iterable[DateClaim]) -> list[str]:
        """How ``claims`` settle, as text: a cached seed is stale when this changes."""
        out = []
        for c in claims:
            settled = self.settle(c.s, c.p, c.period)
            disputes = " ".join(f"{d.period}={','.join(d.evidence)}" for d in settled.disputed_by)
            out.append(f"{c.s} {c.p} {c.period} -> {settled.period} {disputes}".rstrip())
        return out


def _overlap(a: Period, b: Period) -> bool:
    return a.contains(b) or b.contains(a)


def date_literal(period: Period) -> Literal:
    return Literal(period.value, datatype=XSD.dateTime)


def add_bounds(graph: TripleSink, axiom: BNode, period: Period) -> None:
    """The precision and the interval bounds of a date, on the axiom of its assertion."""
    graph.add((axiom, AZ.datePrecision, Literal(period.precision)))
    graph.add((axiom, AZ.earliest, Literal(period.earliest, datatype=XSD.dateTime)))
    graph.add((axiom, AZ.latest, Literal(period.latest, datatype=XSD.dateTime)))


def annotate_date(graph: TripleSink, axiom: BNode, fact: Fact, settled: Settled) -> None:
    """Bounds, and what settling did: a coarser source's precision, or a dispute."""
    add_bounds(graph, axiom, settled.period)
    if settled.stated != settled.period:
        graph.add((axiom, AZ.statedPrecision, Literal(settled.stated.precision)))
    if not settled.disputed_by or fact.status == "disputed":
        return
    others = "; ".join(f"{d.period} ({', '.join(d.evidence)})" for d in settled.disputed_by)
    if fact.status is not None:
        raise CurationError(
            f"{fact.s} az:{fact.p} {fact.v} contradicts {others}",
            path=fact.path,
            line=fact.yaml_line,
            hint="Fix one of the dates, or mark this one 'status: disputed' with a note.",
        )
    graph.add((axiom, AZ.claimStatus, Literal("disputed")))
    note = f"Other evidence gives {others} for this date; the two do not overlap."
    graph.add((axiom, SKOS.editorialNote, Literal(note, lang="en")))


def is_date(obj: URIRef | Literal) -> bool:
    return isinstance(obj, Literal) and obj.datatype == XSD.dateTime
