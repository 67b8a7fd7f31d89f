"""Editorial links to Wikidata (``mappings/wikidata.yaml``) and reviewed disputes
(``mappings/disputes.yaml``), compiled into ``data/links.ttl``.

These statements are not facts from the articles, so they carry no article evidence. Each link is
``<entity> skos:exactMatch <http://www.wikidata.org/entity/Q…>`` (an annotation assertion, so the
ontology stays OWL 2 DL: see docs/model.md) with an OWL axiom annotation that names the public
page on which the editors saw the QID with its label (``az:checkedAt``). Each dispute is an OWL
axiom annotation on an existing fact: the value another record gives (``az:otherValue``), that
record (``az:otherValueSource``) and the editors' note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

from azgraph.build.curated import CURIE
from azgraph.errors import CurationError
from azgraph.project import Project
from azgraph.rdf.iris import mint
from azgraph.rdf.namespaces import AZ, INSTANCE_NS, new_graph
from azgraph.rdf.triples import FactLookup, axiom_node
from azgraph.yamlsafe import YList, YMap, load_yaml

WD = "http://www.wikidata.org/entity/"
QID = re.compile(r"^Q[1-9][0-9]*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
LINKS_FILE = "links.ttl"
Triple = tuple[URIRef, URIRef, URIRef | Literal]
LINK_KEYS = {"qid", "label", "checked", "note"}
DISPUTE_KEYS = {"s", "p", "v", "o", "other", "source", "checked", "note"}
# The classes issue #8 links; offices are linked too, so that office dates can be compared.
LINKED_KINDS = ("state", "person", "org", "pipeline", "conflict", "agreement", "place", "office")


@dataclass(frozen=True)
class Link:
    """One entity's Wikidata identifier, or the reason it has none."""

    entity: str
    qid: str | None
    label: str | None
    checked: str | None
    note: str | None
    line: int

    @property
    def iri(self) -> URIRef | None:
        return URIRef(WD + self.qid) if self.qid else None


@dataclass(frozen=True)
class Dispute:
    """A reviewed disagreement: the fact (s, p, v or o) and the value another record gives."""

    s: str
    p: str
    value: str
    is_entity: bool
    other: str
    source: str
    checked: str
    note: str
    line: int


def wikidata_file(project: Project) -> Path:
    return project.root / "mappings" / "wikidata.yaml"


def disputes_file(project: Project) -> Path:
    return project.root / "mappings" / "disputes.yaml"


def load_links(path: Path) -> list[Link]:
    """Read ``mappings/wikidata.yaml``; an absent file means no links."""
    if not path.exists():
        return []
    doc = load_yaml(path)
    if doc is None:
        return []
    if not isinstance(doc, YMap) or not isinstance(doc.get("links"), YMap):
        raise CurationError("expected a top-level 'links:' mapping", path=path, line=1)
    table: YMap = doc["links"]
    links: list[Link] = []
    seen: dict[str, tuple[str, int]] = {}
    for entity, body in table.items():
        line = table.line_of(entity)
        link = _link(entity, body, path, line)
        if link.qid and link.qid in seen:
            other, other_line = seen[link.qid]
            raise CurationError(
                f"{link.qid} is given to both {other} (line {other_line}) and {entity}",
                path=path,
                line=line,
                hint="One Wikidata item stands for one thing; check both entries.",
            )
        if link.qid:
            seen[link.qid] = (entity, line)
        links.append(link)
    return links


def _link(entity: str, body: object, path: Path, line: int) -> Link:
    match = CURIE.match(entity)
    if not match or match["kind"] not in INSTANCE_NS:
        raise CurationError(f"'{entity}' is not an entity id", path=path, line=line)
    if not isinstance(body, YMap):
        raise CurationError(f"'{entity}' must be a mapping", path=path, line=line)
    for key in body:
        if key not in LINK_KEYS:
            raise CurationError(
                f"unknown field '{key}'",
                path=path,
                line=body.line_of(key),
                hint=f"Allowed fields: {', '.join(sorted(LINK_KEYS))}.",
            )
    qid = _text(body, "qid", path)
    qid = None if qid in (None, "null", "~", "") else qid
    note, label, checked = (_text(body, k, path) for k in ("note", "label", "checked"))
    if qid is None:
        if not note:
            raise CurationError(
                f"{entity} has no qid and no note",
                path=path,
                line=line,
                hint="Write 'note: not verified' (or 'no item exists' with your evidence).",
            )
        return Link(entity, None, label, checked, note, line)
    if not QID.match(qid):
        raise CurationError(
            f"'{qid}' is not a Wikidata item id",
            path=path,
            line=body.line_of("qid"),
            hint="Write Q followed by digits, e.g. Q227.",
        )
    if not label or not checked or not URL.match(checked):
        raise CurationError(
            f"{entity}: a qid needs the Wikidata 'label' and a 'checked' URL",
            path=path,
            line=line,
            hint="Record the public page where you saw this QID with this label.",
        )
    return Link(entity, qid, label, checked, note, line)


def _text(body: YMap, key: str, path: Path | None = None) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CurationError(f"'{key}' must be text", path=path, line=body.line_of(key))
    return value.strip()


def load_disputes(path: Path) -> list[Dispute]:
    """Read ``mappings/disputes.yaml``; an absent file means no disputes."""
    if not path.exists():
        return []
    doc = load_yaml(path)
    if doc is None:
        return []
    items = doc.get("disputes") if isinstance(doc, YMap) else None
    if items is None:
        return []
    if not isinstance(items, YList):
        raise CurationError("'disputes' must be a list", path=path, line=doc.line_of("disputes"))
    return [_dispute(item, path) for item in items]


def _dispute(item: object, path: Path) -> Dispute:
    if not isinstance(item, YMap):
        raise CurationError("each dispute must be a mapping", path=path)
    for key in item:
        if key not in DISPUTE_KEYS:
            raise CurationError(
                f"unknown field '{key}'",
                path=path,
                line=item.line_of(key),
                hint=f"Allowed fields: {', '.join(sorted(DISPUTE_KEYS))}.",
            )
    fields = {key: _text(item, key, path) for key in DISPUTE_KEYS}
    missing = [k for k in ("s", "p", "other", "source", "checked", "note") if not fields[k]]
    if (fields["v"] is None) == (fields["o"] is None):
        missing.append("v or o")
    if missing:
        raise CurationError(
            f"dispute lacks {', '.join(missing)}",
            path=path,
            line=item.line,
            hint="Give s, p, v (or o), other, source, checked and note.",
        )
    source = fields["source"] or ""
    if QID.match(source):
        source = WD + source
    for key, value in (("source", source), ("checked", fields["checked"] or "")):
        if not URL.match(value):
            raise CurationError(
                f"'{key}' must be a QID or an http(s) URL, not '{value}'",
                path=path,
                line=item.line_of(key),
            )
    return Dispute(
        s=fields["s"] or "",
        p=fields["p"] or "",
        value=fields["v"] or fields["o"] or "",
        is_entity=fields["o"] is not None,
        other=fields["other"] or "",
        source=source,
        checked=fields["checked"] or "",
        note=fields["note"] or "",
        line=item.line,
    )


def compile_links(project: Project, graphs: Mapping[str, FactLookup]) -> Graph | None:
    """The graph for ``data/links.ttl``, or None when the project has no mappings/ folder."""
    links_path, disputes_path = wikidata_file(project), disputes_file(project)
    if not links_path.exists() and not disputes_path.exists():
        return None
    declared = {s for g in graphs.values() for s in g.subjects(RDF.type, OWL.NamedIndividual)}
    graph = new_graph()
    for link in load_links(links_path):
        if mint(link.entity) not in declared:
            raise CurationError(
                f"{link.entity} is not declared in curated/",
                path=links_path,
                line=link.line,
                hint="Fix the id, or remove the entry if the entity was renamed.",
            )
        if link.iri is None:
            continue
        link_triple: Triple = (mint(link.entity), SKOS.exactMatch, link.iri)
        graph.add(link_triple)
        axiom = axiom_node(graph, link_triple)
        graph.add((axiom, AZ.checkedAt, URIRef(link.checked or "")))
        note = f"Editorial link, not a claim of the sources: Wikidata labels {link.qid} "
        graph.add((axiom, SKOS.editorialNote, Literal(f"{note}'{link.label}'.", lang="en")))
    for dispute in load_disputes(disputes_path):
        triple = _find_fact(dispute, graphs, disputes_path)
        axiom = axiom_node(graph, triple)
        graph.add((axiom, AZ.otherValue, Literal(dispute.other)))
        graph.add((axiom, AZ.otherValueSource, URIRef(dispute.source)))
        graph.add((axiom, AZ.checkedAt, URIRef(dispute.checked)))
        graph.add((axiom, SKOS.editorialNote, Literal(dispute.note, lang="en")))
    return graph


def _find_fact(dispute: Dispute, graphs: Mapping[str, FactLookup], path: Path) -> Triple:
    if not CURIE.match(dispute.s):
        raise CurationError(f"'{dispute.s}' is not an entity id", path=path, line=dispute.line)
    subject, prop = mint(dispute.s), AZ[dispute.p]
    for graph in graphs.values():
        for obj in graph.objects(subject, prop):
            if dispute.is_entity and CURIE.match(dispute.value) and obj == mint(dispute.value):
                return subject, prop, mint(dispute.value)
            if isinstance(obj, Literal) and value_matches(obj, dispute.value):
                return subject, prop, obj
    raise CurationError(
        f"no fact {dispute.s} az:{dispute.p} {dispute.value} in curated/",
        path=path,
        line=dispute.line,
        hint="Write s, p and v exactly as in curated/<seed>.yaml (dates as YYYY, YYYY-MM or "
        "YYYY-MM-DD).",
    )


def value_matches(obj: Literal, value: str) -> bool:
    """True when ``value`` (as written in curated/) denotes the literal ``obj``."""
    text = str(obj)
    if obj.datatype == XSD.dateTime:
        return bool(re.fullmatch(r"\d{4}(-\d{2}){0,2}", value)) and text.startswith(value)
    if obj.datatype in (XSD.decimal, XSD.integer, XSD.double):
        try:
            return Decimal(text) == Decimal(value)
        except InvalidOperation:
            return False
    return text == value
