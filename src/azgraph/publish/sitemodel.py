"""What the static site shows, read out of the graph: entities, facts with their quotes, dates.

Plain dataclasses, no HTML: `site.py` renders them with the Jinja templates in templates/.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from azgraph.build.seeds import Seed
from azgraph.publish.sitetext import (
    Presentation,
    Segment,
    paragraph_bounds,
    paragraph_spans,
    segments,
    sentence_bounds,
)
from azgraph.rdf.namespaces import AZ, short
from azgraph.rdf.prefixes import BASE

ENTITY_SPACE = f"{BASE}id/"
HIDDEN = {RDF.type, RDFS.label}
UNDATED = {AZ.publicationDate, AZ.checkedAt}
NAMES = {
    RDFS.label: "label",
    RDFS.comment: "comment",
    SKOS.exactMatch: "exact match",
    SKOS.editorialNote: "editorial note",
    DCTERMS.source: "source",
}


@dataclass(frozen=True)
class Quote:
    """A quote shown inside its sentence: ``before`` + ``mark`` + ``after``; ``paragraph`` is
    the (start, end) of its paragraph in the seed, so a page can show each paragraph once."""

    evidence: str  # the evidence slug, also the anchor id on the source page
    source: URIRef
    source_href: str  # the source page, relative to the site root, without the anchor
    source_label: str
    line: int
    before: str
    mark: str
    after: str
    start: int
    end: int
    paragraph: tuple[int, int]
    sentence: tuple[int, int]

    @property
    def whole_paragraph(self) -> bool:
        """The sentence shown is the whole paragraph: there is nothing more to expand to."""
        return self.sentence == self.paragraph


@dataclass
class Fact:
    prop: URIRef
    prop_label: str
    obj: Node
    quotes: list[Quote] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    precision: str | None = None
    approximate: bool = False


@dataclass
class Entity:
    iri: URIRef
    path: str  # relative to the site root: id/<kind>/<slug>.html
    cls: URIRef | None
    label: str
    labels: dict[str, list[str]]
    facts: list[Fact] = field(default_factory=list)
    incoming: list[tuple[URIRef, str]] = field(default_factory=list)  # (subject, property label)


class SiteModel:
    """Indexes over the data and the ontology graph that the pages need."""

    def __init__(self, data: Graph, ontology: Graph, seeds: dict[str, Seed]) -> None:
        self.data = data
        self.ontology = ontology
        self.seeds = seeds
        self.axioms: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
        for axiom in data.subjects(RDF.type, OWL.Axiom):
            key = (
                data.value(axiom, OWL.annotatedSource),
                data.value(axiom, OWL.annotatedProperty),
                data.value(axiom, OWL.annotatedTarget),
            )
            self.axioms[key].append(axiom)  # type: ignore[index]
        self.cited_by: dict[str, list[tuple[URIRef, URIRef]]] = defaultdict(list)
        for (s, p, _), axioms in sorted(self.axioms.items(), key=lambda kv: str(kv[0])):
            for axiom in axioms:
                for ev in self.data.objects(axiom, AZ.evidence):
                    self.cited_by[_slug(ev)].append((s, p))  # type: ignore[arg-type]
        self.entities: dict[URIRef, Entity] = {}
        for s in sorted(set(data.subjects(RDF.type, OWL.NamedIndividual)), key=str):
            if isinstance(s, URIRef) and s.startswith(ENTITY_SPACE):
                self.entities[s] = self._entity(s)
        for entity in self.entities.values():
            entity.facts = self._facts(entity.iri)
        for s, p, o in sorted(data):
            if o in self.entities and s in self.entities and p not in HIDDEN:
                self.entities[o].incoming.append((s, self.label(p)))  # type: ignore[index,arg-type]

    # -- names and links
    def label(self, node: Node) -> str:
        labels = self.labels(node)
        for lang in ("en", ""):
            if labels.get(lang):
                return labels[lang][0]
        if labels:
            return next(iter(labels.values()))[0]
        return str(NAMES.get(node, short(node)))  # type: ignore[call-overload]

    def labels(self, node: Node) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for graph in (self.data, self.ontology):
            for lit in graph.objects(node, RDFS.label):
                if isinstance(lit, Literal) and str(lit) not in found[lit.language or ""]:
                    found[lit.language or ""].append(str(lit))
        return {lang: sorted(v) for lang, v in sorted(found.items())}

    def href(self, node: Node) -> str | None:
        """The page of ``node`` relative to the site root, or None when it has none."""
        if node in self.entities:
            return self.entities[node].path  # type: ignore[index]
        if isinstance(node, URIRef) and node.startswith(str(AZ)) and self.class_members(node):
            return f"class/{node[len(str(AZ)) :]}.html"
        return None

    def class_of(self, node: Node) -> URIRef | None:
        classes = sorted(
            (c for c in self.data.objects(node, RDF.type) if str(c).startswith(str(AZ))), key=str
        )
        return classes[0] if classes else None  # type: ignore[return-value]

    def class_members(self, cls: Node) -> list[Entity]:
        return sorted(
            (e for e in self.entities.values() if e.cls == cls), key=lambda e: e.label.lower()
        )

    def classes(self) -> list[URIRef]:
        return sorted({e.cls for e in self.entities.values() if e.cls is not None})

    # -- facts and quotes
    def _entity(self, iri: URIRef) -> Entity:
        kind, slug = iri[len(ENTITY_SPACE) :].split("/", 1)
        return Entity(
            iri=iri,
            path=f"id/{kind}/{slug}.html",
            cls=self.class_of(iri),
            label=self.label(iri),
            labels=self.labels(iri),
        )

    def _facts(self, iri: URIRef) -> list[Fact]:
        facts = []
        for p, o in sorted(self.data.predicate_objects(iri), key=lambda po: (str(po[0]), po[1])):
            if p in HIDDEN or not isinstance(p, URIRef):
                continue
            fact = Fact(prop=p, prop_label=self.label(p), obj=o)
            for axiom in self.axioms.get((iri, p, o), []):
                self._annotate(fact, axiom)
            facts.append(fact)
        return sorted(facts, key=lambda f: (f.prop_label.lower(), str(f.obj)))

    def _annotate(self, fact: Fact, axiom: Node) -> None:
        d = self.data
        fact.statuses += sorted(str(s) for s in d.objects(axiom, AZ.claimStatus))
        fact.notes += sorted(str(n) for n in d.objects(axiom, SKOS.editorialNote))
        fact.approximate = fact.approximate or any(
            bool(a.toPython()) for a in d.objects(axiom, AZ.approximate) if isinstance(a, Literal)
        )
        precision = d.value(axiom, AZ.datePrecision)
        if precision is not None:
            fact.precision = _finest(fact.precision, str(precision))
        for ev in sorted(d.objects(axiom, AZ.evidence), key=str):
            quote = self.quote(ev)
            if quote is not None and quote not in fact.quotes:
                fact.quotes.append(quote)

    def quote(self, evidence: Node) -> Quote | None:
        d = self.data
        source = d.value(evidence, AZ.quotedFrom)
        start, end = d.value(evidence, AZ.startOffset), d.value(evidence, AZ.endOffset)
        seed = self.seed_of(source)
        if seed is None or source is None or start is None or end is None:
            return None
        a, b = int(start), int(end)  # type: ignore[call-overload]
        show = Presentation.of(seed)
        para = paragraph_bounds(seed.text, a, b, show.hard_wrapped)
        s0, s1 = sentence_bounds(seed.text, a, b, para)
        return Quote(
            evidence=_slug(evidence),
            source=source,  # type: ignore[arg-type]
            source_href=self.href(source) or "",
            source_label=self.label(source),
            line=int(str(d.value(evidence, AZ.lineNumber) or seed.line_of(a))),
            before=show.show(seed.text[s0:a]),
            mark=show.show(seed.text[a:b]),
            after=show.show(seed.text[b:s1]),
            start=a,
            end=b,
            paragraph=para,
            sentence=(s0, s1),
        )

    def seed_of(self, source: Node | None) -> Seed | None:
        ident = self.data.value(source, DCTERMS.identifier) if source is not None else None
        return self.seeds.get(str(ident)) if ident is not None else None

    # -- the source document page
    def paragraphs(self, source: URIRef) -> list[list[Segment]]:
        """The seed text as paragraphs of segments, each marked with the evidence it carries;
        web furniture without a quote is left out, and display text is cleaned (sitetext)."""
        seed = self.seed_of(source)
        if seed is None:
            return []
        show = Presentation.of(seed)
        spans: list[tuple[int, int, str]] = []
        for ev in self.data.subjects(AZ.quotedFrom, source):
            start, end = self.data.value(ev, AZ.startOffset), self.data.value(ev, AZ.endOffset)
            if start is not None and end is not None:
                spans.append((int(start), int(end), _slug(ev)))  # type: ignore[call-overload]
        spans.sort()
        out = []
        for a, b in paragraph_spans(seed.text, show.hard_wrapped):
            segs = segments(seed.text, a, b, spans)
            if show.is_furniture(seed.text[a:b]) and not any(g.evidence for g in segs):
                continue
            out.append([Segment(show.show(g.text), g.evidence, g.anchors) for g in segs])
        return out

    # -- the timeline
    def dated(self) -> list[tuple[str, Entity, Fact]]:
        """(sortable date, entity, fact) for every dated fact, in date order."""
        rows = []
        for entity in self.entities.values():
            if entity.cls == AZ.SourceDocument:
                continue
            for fact in entity.facts:
                obj = fact.obj
                if (
                    isinstance(obj, Literal)
                    and obj.datatype == XSD.dateTime
                    and fact.prop not in UNDATED
                ):
                    rows.append((str(obj), entity, fact))
        return sorted(rows, key=lambda r: (r[0], r[1].label, r[2].prop_label))


_PRECISION = {"year": 0, "month": 1, "day": 2}


def _finest(old: str | None, new: str) -> str:
    if old is None:
        return new
    return new if _PRECISION.get(new, 2) > _PRECISION.get(old, 2) else old


def _slug(node: Node) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def is_blank(node: Node) -> bool:
    return isinstance(node, BNode)


def relative(path: str) -> str:
    """The prefix from a page at ``path`` back to the site root."""
    return "../" * path.count("/")


def seed_path(seeds_dir: Path, seed: str) -> Path:
    return seeds_dir / f"{seed}.txt"
