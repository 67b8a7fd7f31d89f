"""One entity page, read the way a Wikidata item page reads, and better at evidence.

A summary box (type, key facts, names as written in each source, Wikidata link, offices held),
then statements grouped by property, each value formatted for people with its references
collapsed to the quote in its sentence, and at the end every quoted paragraph once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS, XSD
from rdflib.term import Node

from azgraph.publish.sitecite import SourceRecord, cite_statement, fact_fragment
from azgraph.publish.siteformat import NUMERIC, format_literal, year_span
from azgraph.publish.sitemodel import Entity, Fact, Quote, SiteModel
from azgraph.publish.sitetext import Presentation, Segment, segments
from azgraph.rdf.namespaces import AZ, short

SUMMARY_ONLY = {AZ.nameAsWritten, SKOS.exactMatch}
LAST = {AZ.claimText}


@dataclass
class Ref:
    quote: Quote
    cite: str
    para: int = 0  # the number of its paragraph in the page's list (0: not listed)
    para_href: str | None = None  # where its whole paragraph is shown on the page
    anchor: str | None = None  # the id of its quote block, at the first showing of a passage
    repeat_of: str | None = None  # a passage shown whole above is not repeated: its id


@dataclass
class Value:
    html: Markup
    fragment: str
    iri: str
    statuses: list[str]
    notes: list[str]
    approximate: bool
    refs: list[Ref]


@dataclass
class Group:
    label: str
    prop: str  # the prefixed name: az:lengthKm
    href: str | None  # the property's definition in the ontology docs, relative to the root
    values: list[Value] = field(default_factory=list)

    def new_notes(self, index: int) -> list[str]:
        """The notes of value ``index`` that the value before it did not already show."""
        before = set(self.values[index - 1].notes) if index else set()
        return [n for n in self.values[index].notes if n not in before]


@dataclass
class Paragraph:
    number: int
    source_label: str
    source_href: str
    line: int
    segments: list[Segment]
    evidence: str  # the first quote's slug: the anchor on the source page

    @property
    def gist(self) -> str:
        text = " ".join("".join(s.text for s in self.segments).split())
        return text if len(text) <= 48 else text[:48].rsplit(" ", 1)[0] + " …"


@dataclass
class EntityView:
    labels: list[tuple[str, str, str]]  # (languages shown, the lang attribute, names)
    summary: list[tuple[str, Markup]]
    names: list[tuple[str, list[tuple[str, str]]]]  # name as written, [(source, source#anchor)]
    wikidata: str | None
    groups: list[Group]
    paragraphs: list[Paragraph]


class EntityPage:
    """Builds the view of one entity page; ``docs`` maps a property IRI to its docs anchor."""

    def __init__(self, model: SiteModel, docs: dict[str, str], records: dict[str, SourceRecord]):
        self.model = model
        self.docs = docs
        self.records = records

    def view(self, entity: Entity, root: str) -> EntityView:
        paras: dict[tuple[URIRef, tuple[int, int]], list[Quote]] = {}
        groups: dict[URIRef, Group] = {}
        names: dict[str, dict[str, str]] = {}
        wikidata = None
        covered = self._offices_with_tenures(entity)
        for fact in entity.facts:
            if fact.prop == AZ.positionHeld and fact.obj in covered:
                continue  # shown once, with its dates, under "held position"
            if fact.prop == AZ.nameAsWritten:
                for q in fact.quotes:
                    names.setdefault(str(fact.obj), {}).setdefault(
                        _short(q), f"{q.source_href}#{q.evidence}"
                    )
                continue
            if fact.prop == SKOS.exactMatch:
                wikidata = str(fact.obj)
                continue
            group = groups.get(fact.prop)
            if group is None:
                group = groups[fact.prop] = Group(
                    fact.prop_label, short(fact.prop), self._doc(fact.prop)
                )
            group.values.append(self._value(entity, fact, root, paras))
        ordered = sorted(
            groups.values(), key=lambda g: (g.prop == short(AZ.claimText), g.label.lower())
        )
        return EntityView(
            labels=_labels(entity),
            summary=self._summary(entity, root),
            names=[(n, sorted(names[n].items())) for n in sorted(names, key=str.lower)],
            wikidata=wikidata,
            groups=ordered,
            paragraphs=self._paragraphs(paras, ordered, entity.cls == AZ.SourceDocument),
        )

    def _offices_with_tenures(self, entity: Entity) -> set[Node]:
        """The offices the entity's tenures (az:heldPosition) name: a direct az:positionHeld to
        one of them says the same thing without the dates, so the page shows the tenure."""
        offices: set[Node] = set()
        for fact in entity.facts:
            tenure = self.model.entities.get(fact.obj) if fact.prop == AZ.heldPosition else None  # type: ignore[call-overload]
            if tenure is not None:
                offices.update(f.obj for f in tenure.facts if f.prop == AZ.office)
        return offices

    def _doc(self, prop: URIRef) -> str | None:
        anchor = self.docs.get(str(prop))
        return f"ontology/index.html#{anchor}" if anchor else None

    def _value(
        self,
        entity: Entity,
        fact: Fact,
        root: str,
        paras: dict[tuple[URIRef, tuple[int, int]], list[Quote]],
    ) -> Value:
        fragment = fact_fragment(fact.prop, fact.obj)
        iri = f"{entity.iri}#{fragment}"
        refs = []
        for q in fact.quotes:
            key = (q.source, q.paragraph)
            if q not in paras.setdefault(key, []):
                paras[key].append(q)
            rec = self.records.get(str(q.source))
            cite = cite_statement(rec, q.mark, q.line, iri) if rec else iri
            refs.append(Ref(q, cite))
        return Value(
            html=self.value_html(entity, fact.prop, fact.obj, fact.precision, root),
            fragment=fragment,
            iri=iri,
            statuses=sorted(set(fact.statuses)),
            notes=list(dict.fromkeys(fact.notes)),
            approximate=fact.approximate,
            refs=refs,
        )

    def value_html(
        self, entity: Entity | None, prop: URIRef, obj: Node, precision: str | None, root: str
    ) -> Markup:
        model = self.model
        if isinstance(obj, Literal):
            unit = self._unit(entity) if prop == AZ.quantity else None
            text = escape(format_literal(obj, prop, precision, unit))
            if obj.datatype is None and obj.language:
                return Markup(f'“<span lang="{escape(obj.language)}">{text}</span>”')
            return Markup(f"“{text}”") if obj.datatype is None else text
        href = model.href(obj)
        label = escape(model.label(obj))
        if href is not None:
            tenure = self.tenure_text(obj)
            text = escape(tenure) if tenure else label
            return Markup(f'<a href="{escape(root + href)}">{text}</a>')
        if isinstance(obj, URIRef) and str(obj).startswith(("http://", "https://")):
            return Markup(f'<a href="{escape(str(obj))}">{label}</a>')
        return label

    def _unit(self, entity: Entity | None) -> str | None:
        if entity is None:
            return None
        unit = self.model.data.value(entity.iri, AZ.unit)
        return str(unit) if unit is not None else None

    def tenure_text(self, node: Node) -> str:
        """``President of Azerbaijan, 1993–2003`` for a tenure, else ''."""
        tenure = self.model.entities.get(node)  # type: ignore[call-overload]
        if tenure is None or tenure.cls != AZ.Tenure:
            return ""
        dates: dict[URIRef, str] = {}
        office = ""
        for fact in tenure.facts:
            if fact.prop in (AZ.startTime, AZ.endTime) and isinstance(fact.obj, Literal):
                dates[fact.prop] = format_literal(fact.obj, fact.prop, fact.precision)
            if fact.prop == AZ.office:
                office = self.model.label(fact.obj)
        span = year_span(dates.get(AZ.startTime), dates.get(AZ.endTime))
        return ", ".join(p for p in (office, span) if p)

    def _summary(self, entity: Entity, root: str) -> list[tuple[str, Markup]]:
        rows: list[tuple[str, Markup]] = []
        for fact in entity.facts:
            obj = fact.obj
            key = isinstance(obj, Literal) and (
                obj.datatype == XSD.dateTime or obj.datatype in NUMERIC
            )
            if key or (fact.prop == AZ.heldPosition):
                html = self.value_html(entity, fact.prop, obj, fact.precision, root)
                if fact.approximate:
                    html = Markup("about ") + html
                rows.append((fact.prop_label, html))
        held = {f.obj for f in entity.facts if f.prop == AZ.heldPosition}
        for subject, prop_label in entity.incoming:
            if prop_label == self.model.label(AZ.holder) and subject not in held:
                tenure = self.tenure_text(subject)
                href = self.model.href(subject)
                if tenure and href:
                    rows.append(
                        (
                            "office held",
                            Markup(f'<a href="{escape(root + href)}">{escape(tenure)}</a>'),
                        )
                    )
        return list(dict.fromkeys(rows))

    def _paragraphs(
        self,
        paras: dict[tuple[URIRef, tuple[int, int]], list[Quote]],
        groups: list[Group],
        text_on_page: bool,
    ) -> list[Paragraph]:
        """Each quoted paragraph once, numbered in the order of the sources' text; every
        reference learns the number of its paragraph."""
        refs = [r for g in groups for v in g.values for r in v.refs]
        if text_on_page:  # a source page shows the whole text: refs point into it
            for ref in refs:
                ref.para_href = f"#{ref.quote.evidence}"
            return []
        whole = _link_passages(refs)
        keys = sorted((k for k in paras if k not in whole), key=lambda k: (str(k[0]), k[1]))
        numbers = {key: n for n, key in enumerate(keys, start=1)}
        for ref in refs:
            key = (ref.quote.source, ref.quote.paragraph)
            if key in numbers:
                ref.para = numbers[key]
                ref.para_href = f"#p{ref.para}"
            elif whole.get(key) not in (None, ref.anchor, ref.repeat_of):
                ref.para_href = f"#{whole[key]}"
        out = []
        for key in keys:
            number, (source, (a, b)), quotes = numbers[key], key, paras[key]
            seed = self.model.seed_of(source)
            if seed is None:
                continue
            show = Presentation.of(seed)
            spans = sorted({(q.start, q.end, q.evidence) for q in quotes})
            segs = [
                Segment(show.show(s.text), s.evidence, s.anchors)
                for s in segments(seed.text, a, b, spans)
            ]
            first = min(quotes, key=lambda q: q.start)
            out.append(
                Paragraph(
                    number,
                    first.source_label,
                    first.source_href,
                    seed.line_of(a),
                    segs,
                    first.evidence,
                )
            )
        return out


def _link_passages(refs: list[Ref]) -> dict[tuple[URIRef, tuple[int, int]], str]:
    """Give each passage's first showing an id; a later reference to a passage that is a whole
    paragraph points there instead of repeating it. Returns, for each paragraph shown whole,
    the id of its block."""
    first: dict[tuple[URIRef, tuple[int, int]], str] = {}
    whole: dict[tuple[URIRef, tuple[int, int]], str] = {}
    for ref in refs:
        q = ref.quote
        key = (q.source, q.sentence)
        if key not in first:
            ref.anchor = first[key] = f"q{len(first) + 1}"
        elif q.whole_paragraph:
            ref.repeat_of = first[key]
        if q.whole_paragraph:
            whole.setdefault((q.source, q.paragraph), first[key])
    return whole


def _labels(entity: Entity) -> list[tuple[str, str, str]]:
    """Labels grouped where languages agree: ``label (en, tr)`` once, not twice."""
    by_names: dict[tuple[str, ...], list[str]] = {}
    for lang, names in entity.labels.items():
        by_names.setdefault(tuple(names), []).append(lang)
    return [
        (", ".join(g or "—" for g in langs), langs[0] if len(langs) == 1 else "", " · ".join(names))
        for names, langs in by_names.items()
    ]


def _short(quote: Quote) -> str:
    return quote.source_href.rsplit("/", 1)[-1].removesuffix(".html")
