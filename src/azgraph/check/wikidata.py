"""Comparing the sources' facts with Wikidata: which agree, which disagree, which Wikidata lacks.

Only ``azgraph wikidata check`` contacts Wikidata, and only the endpoint it is given. Queries are
batched (a ``VALUES`` block of items), sent through the one HTTP client (`azgraph.query.transport`,
which bounds each exchange by a total deadline) with a descriptive User-Agent, and retried with
backoff on HTTP 429/502/503/504. Dates are compared at the coarser of the two precisions (ours:
``az:datePrecision``; Wikidata's: ``wikibase:timePrecision``).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from azgraph import __version__
from azgraph.build.mappings import WD, Dispute, Link, load_disputes
from azgraph.errors import RemoteError, one_line
from azgraph.query.transport import ExchangeError, exchange
from azgraph.rdf.iris import curie_of, mint
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.turtle import write_atomic

ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = (  # Wikimedia's User-Agent policy: who we are, how to reach us, the library
    f"azgraph/{__version__} (https://w3id.org/azgraph/; azgraph wikidata check; "
    f"evidence-grounded knowledge graph) httpcore/{version('httpcore')}"
)
RETRY_CODES = {429, 502, 503, 504}
BATCH = 50
PRECISION = {"day": 11, "month": 10, "year": 9}
UNIT_KM = {  # Wikidata unit items for lengths, and their factor to kilometres
    "Q828224": Decimal(1),  # kilometre
    "Q11573": Decimal("0.001"),  # metre
    "Q253276": Decimal("1.609344"),  # mile
}


@dataclass(frozen=True)
class Comparable:
    """An az: property we hold and the Wikidata property it is compared with."""

    name: str
    pid: str
    kind: str  # date | length | item
    title: str


COMPARABLE = {
    c.name: c
    for c in (
        Comparable("startTime", "P580", "date", "start time"),
        Comparable("endTime", "P582", "date", "end time"),
        Comparable("pointInTime", "P585", "date", "point in time"),
        Comparable("inception", "P571", "date", "inception"),
        Comparable("serviceEntry", "P729", "date", "service entry"),
        Comparable("lengthKm", "P2043", "length", "length"),
        Comparable("startsAt", "P1427", "item", "start point"),
        Comparable("endsAt", "P1444", "item", "end point"),
        Comparable("signatory", "P1891", "item", "signatory"),
        Comparable("participant", "P710", "item", "participant"),
        Comparable("belligerent", "P710", "item", "participant"),
        Comparable("countryOfCitizenship", "P27", "item", "country of citizenship"),
    )
}
OFFICE_QUALIFIERS = {"startTime": "P580", "endTime": "P582"}


@dataclass(frozen=True)
class LocalFact:
    """A fact we hold about a linked entity, ready to compare."""

    entity: str
    qid: str
    subject: str  # the fact's subject: the entity, or its tenure for office dates
    prop: str  # az: local name, or "label"
    pid: str  # Wikidata property, or "label"
    kind: str  # label | date | length | item | office-date
    value: str  # lexical value (date, number, label) or the object's curie
    precision: str | None = None
    target: str | None = None  # the object's QID (items) or the office's QID (office dates)
    quote: str = ""


@dataclass(frozen=True)
class Statement:
    """One Wikidata statement value, with what we need to compare it."""

    value: str
    precision: int | None = None
    unit: str | None = None
    start: tuple[str, int | None] | None = None
    end: tuple[str, int | None] | None = None


@dataclass(frozen=True)
class Finding:
    """One row of the report: our fact, Wikidata's values, and the verdict."""

    fact: LocalFact
    title: str
    ours: str
    theirs: str
    status: str  # agree | disagree | not in Wikidata | not linked | unclear


@dataclass
class CheckReport:
    endpoint: str
    findings: list[Finding] = field(default_factory=list)
    unverified: list[Link] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for finding in self.findings:
            out[finding.status] += 1
        return dict(out)


# --- what we hold ---------------------------------------------------------------------------

LOCAL_FACTS = """
PREFIX az: <https://w3id.org/azgraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?s ?p ?o ?quote ?precision WHERE {
  VALUES ?s { %s }
  VALUES ?p { %s }
  ?s ?p ?o .
  OPTIONAL { ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
                az:quote ?quote . OPTIONAL { ?a az:datePrecision ?precision } }
}
"""
LOCAL_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?o WHERE { VALUES ?s { %s } ?s rdfs:label ?o FILTER (LANGMATCHES(LANG(?o), "en")) }
"""
LOCAL_OFFICES = """
PREFIX az: <https://w3id.org/azgraph/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?s ?t ?office ?p ?o ?quote ?precision WHERE {
  VALUES ?s { %s }
  VALUES ?p { az:startTime az:endTime }
  ?s az:heldPosition ?t . ?t az:office ?office ; ?p ?o .
  OPTIONAL { ?a owl:annotatedSource ?t ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
                az:quote ?quote . OPTIONAL { ?a az:datePrecision ?precision } }
}
"""


def _select_local(store: ox.Store, query: str) -> ox.QuerySolutions:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    return result


def local_facts(store: ox.Store, links: list[Link]) -> list[LocalFact]:
    """The facts we hold about linked entities that Wikidata can confirm or contradict."""
    qid_of = {str(mint(link.entity)): link.qid for link in links}
    linked = {iri: qid for iri, qid in qid_of.items() if qid}
    if not linked:
        return []
    values = " ".join(f"<{iri}>" for iri in sorted(linked))
    props = " ".join(f"az:{name}" for name in sorted(COMPARABLE))
    best: dict[tuple[str, str, str], LocalFact] = {}
    for row in _select_local(store, LOCAL_LABELS % values):
        s = row["s"].value
        fact = LocalFact(_curie(s), linked[s], _curie(s), "label", "label", "label", row["o"].value)
        best[(s, "label", fact.value)] = fact
    for row in _select_local(store, LOCAL_FACTS % (values, props)):
        s, prop, obj = row["s"].value, row["p"].value[len(str(AZ)) :], row["o"]
        comp = COMPARABLE[prop]
        value = _curie(obj.value) if isinstance(obj, ox.NamedNode) else obj.value
        target = qid_of.get(obj.value) if isinstance(obj, ox.NamedNode) else None
        fact = LocalFact(
            _curie(s), linked[s], _curie(s), prop, comp.pid, comp.kind, value,
            _text(row["precision"]), target, _text(row["quote"]),
        )  # fmt: skip
        key = (s, prop, value)
        if key not in best or (fact.quote and fact.quote < best[key].quote):
            best[key] = fact
    for row in _select_local(store, LOCAL_OFFICES % values):
        s, tenure, prop = row["s"].value, row["t"].value, row["p"].value[len(str(AZ)) :]
        office = qid_of.get(row["office"].value)
        fact = LocalFact(
            _curie(s), linked[s], _curie(tenure), prop, "P39", "office-date", row["o"].value,
            _text(row["precision"]), office, _text(row["quote"]),
        )  # fmt: skip
        key = (tenure, prop, fact.value)
        if key not in best or (fact.quote and fact.quote < best[key].quote):
            best[key] = fact
    return sorted(best.values(), key=lambda f: (f.entity, f.prop != "label", f.prop, f.value))


def _curie(iri: str) -> str:
    return curie_of(iri) or iri


def _text(term: Any) -> str:
    return "" if term is None else str(term.value)


# --- what Wikidata holds --------------------------------------------------------------------

PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def labels_query(qids: list[str]) -> str:
    """English labels and aliases of ``qids``."""
    return PREFIXES + (
        "SELECT ?item ?kind ?text WHERE {\n"
        f"  VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }}\n"
        '  { ?item rdfs:label ?text BIND ("label" AS ?kind) }\n'
        '  UNION { ?item skos:altLabel ?text BIND ("alias" AS ?kind) }\n'
        '  FILTER (LANGMATCHES(LANG(?text), "en"))\n'
        "}"
    )


def statements_query(qids: list[str], pids: Iterable[str]) -> str:
    """Non-deprecated statements of ``qids`` for ``pids``, with precision, unit and dates."""
    props = " ".join(f'("{p}" p:{p} ps:{p} psv:{p})' for p in sorted(set(pids)))
    return PREFIXES + (
        "SELECT ?item ?pid ?value ?precision ?unit ?start ?startPrecision ?end ?endPrecision\n"
        "WHERE {\n"
        f"  VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }}\n"
        f"  VALUES (?pid ?p ?ps ?psv) {{ {props} }}\n"
        "  ?item ?p ?st . ?st ?ps ?value .\n"
        "  FILTER NOT EXISTS { ?st wikibase:rank wikibase:DeprecatedRank }\n"
        "  OPTIONAL { ?st ?psv ?node .\n"
        "    OPTIONAL { ?node wikibase:timePrecision ?precision }\n"
        "    OPTIONAL { ?node wikibase:quantityUnit ?unit } }\n"
        "  OPTIONAL { ?st pq:P580 ?start .\n"
        "    OPTIONAL { ?st pqv:P580 ?sv . ?sv wikibase:timePrecision ?startPrecision } }\n"
        "  OPTIONAL { ?st pq:P582 ?end .\n"
        "    OPTIONAL { ?st pqv:P582 ?ev . ?ev wikibase:timePrecision ?endPrecision } }\n"
        "}"
    )


Runner = Callable[[str], list[dict[str, dict[str, str]]]]


def sparql_runner(
    endpoint: str, *, timeout: float = 30.0, retries: int = 3, backoff: float = 2.0
) -> Runner:
    """A function that sends a SELECT query to ``endpoint`` and returns its JSON bindings."""

    def run(query: str) -> list[dict[str, dict[str, str]]]:
        for attempt in range(retries + 1):
            try:
                return _select(endpoint, query, timeout)
            except _RetryableError as exc:
                if attempt == retries:
                    raise RemoteError(
                        f"answered HTTP {exc.code} after {retries + 1} tries",
                        path=endpoint,
                        hint="The endpoint is busy or limiting requests; try again later.",
                    ) from exc
                time.sleep(min(exc.retry_after or backoff * 2**attempt, 60.0))
        raise AssertionError("unreachable")

    return run


class _RetryableError(Exception):
    def __init__(self, code: int, retry_after: float | None) -> None:
        super().__init__(code)
        self.code, self.retry_after = code, retry_after


def _select(endpoint: str, query: str, timeout: float) -> list[dict[str, dict[str, str]]]:
    """One SELECT, refused unless the answer is complete and binds what the query selects."""
    from azgraph.query.answers import check_complete, expected_variables, json_rows, load_json
    from azgraph.query.endpoint import sparql_request

    request = sparql_request(endpoint, query, credentials=None, agent=USER_AGENT)
    try:
        answer = exchange(
            "POST", endpoint, headers=request.headers, body=request.body, timeout=timeout
        )
    except ExchangeError as failure:
        raise _remote_error(failure, endpoint, timeout) from failure
    if answer.status in RETRY_CODES:
        raise _RetryableError(answer.status, _retry_after(answer.headers.get("retry-after")))
    if not 200 <= answer.status < 300:
        first = one_line(answer.body.decode("utf-8", "replace"), 200)
        detail = f": {first}" if first and not answer.body.lstrip().startswith(b"<") else ""
        raise RemoteError(f"answered HTTP {answer.status} {answer.reason}{detail}", path=endpoint)
    check_complete(answer.status, answer.headers, endpoint)
    if not answer.body.lstrip().startswith(b"{"):
        raise RemoteError(
            "answered with something that is not SPARQL JSON results",
            path=endpoint,
            hint="Check that --endpoint is a SPARQL endpoint URL.",
        )
    _, rows = json_rows(load_json(answer.body, endpoint), endpoint, expected_variables(query))
    return rows


def _remote_error(failure: ExchangeError, endpoint: str, timeout: float) -> RemoteError:
    if failure.kind == "timeout":
        return RemoteError(
            f"no complete answer within {timeout:g} s",
            path=endpoint,
            hint="Try again later, or raise --timeout.",
        )
    if failure.kind == "cut":
        return RemoteError(
            f"the server closed the connection after {failure.received} bytes of a longer answer",
            path=endpoint,
            hint="The answer was cut off; try again later.",
        )
    if failure.phase != "body":
        return RemoteError(
            f"cannot reach the endpoint: {failure.reason}",
            path=endpoint,
            hint="Check the network connection, or pass --endpoint URL.",
        )
    return RemoteError(f"connection failed: {failure.reason}", path=endpoint)


def _retry_after(header: str | None) -> float | None:
    if header and header.strip().isdigit():
        return float(header.strip())
    return None


Labels = dict[str, dict[str, list[str]]]
Statements = dict[tuple[str, str], list[Statement]]


def fetch(
    runner: Runner, qids: list[str], pids: set[str], *, endpoint: str | None = None
) -> tuple[Labels, Statements]:
    """Labels ({qid: {"label": [...], "alias": [...]}}) and statements ({(qid, pid): [...]}).

    A row without a value the query always binds is an error, not a skipped row: the answer
    is not one to the query that was sent.
    """
    labels: Labels = defaultdict(lambda: defaultdict(list))
    statements: Statements = defaultdict(list)
    for batch in _chunks(sorted(set(qids)), BATCH):
        for row in runner(labels_query(batch)):
            item, kind, text = (_bound(row, v, endpoint) for v in ("item", "kind", "text"))
            labels[_qid(item)][kind].append(text)
        if not pids:
            continue
        for row in runner(statements_query(batch, pids)):
            item, pid, _ = (_bound(row, v, endpoint) for v in ("item", "pid", "value"))
            try:
                statement = _statement(row)
            except (KeyError, TypeError, AttributeError) as exc:
                raise _malformed(endpoint, f"a malformed value ({exc})") from exc
            statements[(_qid(item), pid)].append(statement)
    return labels, statements


def _bound(row: dict[str, Any], name: str, endpoint: str | None) -> str:
    cell = row.get(name)
    value = cell.get("value") if isinstance(cell, dict) else None
    if not isinstance(value, str):
        raise _malformed(endpoint, f"no ?{name}, which the query always binds")
    return value


def _malformed(endpoint: str | None, what: str) -> RemoteError:
    return RemoteError(
        f"a row of the answer has {what}",
        path=endpoint,
        hint="The endpoint answered a different query or a broken one; check --endpoint.",
    )


def _statement(row: dict[str, dict[str, str]]) -> Statement:
    def get(name: str) -> str | None:
        return row[name]["value"] if name in row else None

    def prec(name: str) -> int | None:
        text = get(name)
        return int(text) if text and text.lstrip("-").isdigit() else None

    start, end = get("start"), get("end")
    return Statement(
        value=_qid(get("value") or ""),
        precision=prec("precision"),
        unit=_qid(get("unit") or "") or None,
        start=(start, prec("startPrecision")) if start else None,
        end=(end, prec("endPrecision")) if end else None,
    )


def _qid(value: str) -> str:
    return value[len(WD) :] if value.startswith(WD) else value


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- comparing ------------------------------------------------------------------------------


def check_links(
    store: ox.Store, links: list[Link], runner: Runner, *, endpoint: str = ENDPOINT
) -> CheckReport:
    """Compare every fact we hold about a linked entity with Wikidata's statements."""
    facts = local_facts(store, links)
    report = CheckReport(endpoint, unverified=[link for link in links if not link.qid])
    qids = sorted({link.qid for link in links if link.qid})
    if not qids:
        return report
    pids = {f.pid for f in facts if f.pid != "label"}
    labels, statements = fetch(runner, qids, pids, endpoint=endpoint)
    for fact in facts:
        report.findings.append(compare(fact, labels.get(fact.qid, {}), statements))
    return report


def compare(fact: LocalFact, labels: dict[str, list[str]], statements: Statements) -> Finding:
    if fact.kind == "label":
        return _compare_label(fact, labels)
    title = COMPARABLE[fact.prop].title if fact.prop in COMPARABLE else fact.prop
    title = f"{title} ({fact.pid})"
    ours = show_date(fact.value, fact.precision) if "date" in fact.kind else fact.value
    if fact.kind == "office-date":
        return _compare_office(fact, statements.get((fact.qid, "P39"), []), ours)
    found: list[Statement] = statements.get((fact.qid, fact.pid), [])
    if fact.kind == "item" and not fact.target:
        return Finding(fact, title, ours, _items(found), "not linked")
    if not found:
        return Finding(fact, title, ours, "", "not in Wikidata")
    if fact.kind == "item":
        agree = any(s.value == fact.target for s in found)
        return Finding(fact, title, f"{ours} ({fact.target})", _items(found), _verdict(agree))
    if fact.kind == "length":
        return _compare_length(fact, found, title, ours)
    pairs = [(s.value, s.precision) for s in found]
    return _compare_dates(fact, pairs, title, ours)


def _verdict(agree: bool) -> str:
    return "agree" if agree else "disagree"


def _items(found: list[Statement]) -> str:
    return ", ".join(sorted({s.value for s in found}))


def _compare_label(fact: LocalFact, labels: dict[str, list[str]]) -> Finding:
    names = labels.get("label", [])
    if not names:
        return Finding(fact, "English label", fact.value, "", "not in Wikidata")
    known = {_norm(n) for n in names + labels.get("alias", [])}
    shown = names[0] + (
        " (or an alias)" if _norm(fact.value) not in {_norm(n) for n in names} else ""
    )
    return Finding(fact, "English label", fact.value, shown, _verdict(_norm(fact.value) in known))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212-]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _compare_length(fact: LocalFact, found: list[Statement], title: str, ours: str) -> Finding:
    try:
        mine = Decimal(fact.value)
    except InvalidOperation:
        return Finding(fact, title, ours, "", "unclear")
    shown, agree, known = [], False, False
    for s in found:
        factor = UNIT_KM.get(s.unit or "")
        try:
            amount = Decimal(s.value)
        except InvalidOperation:
            continue
        if factor is None:
            shown.append(f"{amount.normalize():f} {s.unit or '(no unit)'}")
            continue
        km = amount * factor
        known = True
        shown.append(f"{km.normalize():f} km")
        agree |= abs(km - mine) <= max(Decimal("0.5"), abs(mine) * Decimal("0.001"))
    status = _verdict(agree) if known else "unclear"
    return Finding(fact, title, f"{ours} km", "; ".join(shown), status)


def _compare_dates(
    fact: LocalFact, pairs: list[tuple[str, int | None]], title: str, ours: str
) -> Finding:
    mine = PRECISION.get(fact.precision or "day", 11)
    agree = any(
        date_key(fact.value, min(mine, p or 11)) == date_key(v, min(mine, p or 11))
        for v, p in pairs
    )
    theirs = "; ".join(sorted({show_date(v, p) for v, p in pairs}))
    return Finding(fact, title, ours, theirs, _verdict(agree))


def _compare_office(fact: LocalFact, found: list[Statement], ours: str) -> Finding:
    title = f"position held ({fact.target or 'office not linked'}), {fact.prop}"
    if not fact.target:
        return Finding(fact, title, ours, "", "not linked")
    qualifier = OFFICE_QUALIFIERS[fact.prop]
    held = [s for s in found if s.value == fact.target]
    pairs = [date for s in held if (date := s.start if qualifier == "P580" else s.end)]
    if not pairs:
        return Finding(fact, f"{title} ({qualifier})", ours, "", "not in Wikidata")
    return _compare_dates(fact, pairs, f"{title} ({qualifier})", ours)


def date_key(value: str, precision: int) -> str:
    """The part of an ISO date that a precision covers (9 year, 10 month, 11 day; 8 decade...)."""
    text = value.lstrip("+")
    year = text.split("-")[0] if not text.startswith("-") else "-" + text[1:].split("-")[0]
    if precision >= 11:
        return text[:10]
    if precision == 10:
        return text[:7]
    if precision == 9:
        return year
    if precision == 8:
        return year[:-1]
    return str((int(year) - 1) // 100)


def show_date(value: str, precision: str | int | None) -> str:
    """A date at its precision: 1988, 1988-02 or 1988-02-20."""
    level = PRECISION.get(precision, 11) if isinstance(precision, str) else (precision or 11)
    if level == 8:
        return date_key(value, 8) + "0s"
    if level < 8:
        return f"century {int(date_key(value, 7)) + 1}"
    return date_key(value, level)


# --- disputes -------------------------------------------------------------------------------


def disputes_from(report: CheckReport) -> list[Dispute]:
    """Reviewable dispute entries for the date and length disagreements of a report."""
    out = []
    for f in report.findings:
        if f.status != "disagree" or f.fact.kind not in ("date", "office-date", "length"):
            continue
        value = show_date(f.fact.value, f.fact.precision) if "date" in f.fact.kind else f.fact.value
        out.append(
            Dispute(
                s=f.fact.subject,
                p=f.fact.prop,
                value=value,
                is_entity=False,
                other=f.theirs,
                source=WD + f.fact.qid,
                checked=report.endpoint,
                note=f"Wikidata ({f.fact.qid}, {f.title}) gives {f.theirs}; the source says "
                f"{f.ours}. Written by azgraph wikidata check; review before committing.",
                line=0,
            )
        )
    return out


def write_disputes(path: Path, found: list[Dispute]) -> int:
    """Add new disputes to ``path`` (kept entries are not touched); return how many were added."""
    existing = load_disputes(path)
    keys = {(d.s, d.p, d.value) for d in existing}
    new = [d for d in found if (d.s, d.p, d.value) not in keys]
    lines = [
        "# Facts of the sources that Wikidata (or another record) gives differently. Written",
        "# by `azgraph wikidata check --write-disputes`, then reviewed by the editors.",
        "# `azgraph build` turns each entry into az:otherValue / az:otherValueSource",
        "# annotations on the fact (data/links.ttl); `azgraph query run disputed-vs-wikidata`",
        "# lists them.",
        "disputes:" + ("" if existing or new else " []"),
    ]
    for d in [*existing, *new]:
        source = d.source[len(WD) :] if d.source.startswith(WD) else d.source
        lines += [
            f"  - s: {d.s}",
            f"    p: {d.p}",
            f"    {'o' if d.is_entity else 'v'}: {_quoted(d.value)}",
            f"    other: {_quoted(d.other)}",
            f"    source: {source}",
            f"    checked: {d.checked}",
            f"    note: {_quoted(d.note)}",
        ]
    write_atomic(path, "\n".join(lines) + "\n")
    return len(new)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# --- rendering ------------------------------------------------------------------------------


def render_check(report: CheckReport, fmt: str = "markdown") -> str:
    """The report as a Markdown table (default), TSV or JSON."""
    rows = [
        {
            "entity": f.fact.entity,
            "qid": f.fact.qid,
            "fact": f.title,
            "article": f.ours,
            "quote": f.fact.quote,
            "wikidata": f.theirs,
            "status": f.status,
        }
        for f in report.findings
    ]
    if fmt == "json":
        doc = {
            "endpoint": report.endpoint,
            "counts": report.counts(),
            "findings": rows,
            "unverified": [link.entity for link in report.unverified],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "tsv":
        head = ["entity", "qid", "fact", "article", "quote", "wikidata", "status"]
        lines = ["\t".join(head)]
        lines += ["\t".join(_flat(r[k]) for k in head) for r in rows]
        return "\n".join(lines) + "\n"
    counts = report.counts()
    order = ("agree", "disagree", "not in Wikidata", "not linked", "unclear")
    summary = ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
    out = [
        f"{len(rows)} facts about {len({r['entity'] for r in rows})} linked entities checked "
        f"against {report.endpoint}: {summary or 'nothing to compare'}.",
        "",
        "| entity | fact | the article says | quote | Wikidata says | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        quote = _short(r["quote"], 90)
        cells = [f"{r['entity']} ({r['qid']})", r["fact"], r["article"], quote, r["wikidata"]]
        cells.append(f"**{r['status']}**" if r["status"] == "disagree" else r["status"])
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if report.unverified:
        count = len(report.unverified)
        what = "entity has" if count == 1 else "entities have"
        out += [
            "",
            f"{count} {what} no verified QID and {'was' if count == 1 else 'were'} not checked.",
        ]
    return "\n".join(out) + "\n"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
