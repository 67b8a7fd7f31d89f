"""Curated facts -> one RDF graph per seed, each fact an OWL axiom annotated with its evidence.

The model (docs/model.md): every fact is an ordinary triple (``person:heydar-aliyev
az:heldPosition tenure:…``) so that plain SPARQL and reasoners see it, plus an ``owl:Axiom``
that annotates that triple with ``az:evidence`` (the evidence individual), ``az:quote`` (the
verbatim text), ``dcterms:source`` and, where they apply, ``az:datePrecision``,
``az:claimStatus``, ``az:approximate`` and ``skos:editorialNote``; a date's axiom also carries its
bounds (``az:earliest``, ``az:latest``), settled across files by `datefacts`. Protégé shows these as
annotations on the assertion; SPARQL reaches them through ``owl:annotatedSource`` and friends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as _DCTERMS
from rdflib.namespace import OWL as _OWL
from rdflib.namespace import RDF as _RDF
from rdflib.namespace import RDFS as _RDFS
from rdflib.namespace import SKOS as _SKOS
from rdflib.namespace import XSD as _XSD

from azgraph.build import buildcache, datefacts
from azgraph.build.buildcache import CachedSeed
from azgraph.build.curated import Curated, Entity, Fact, load_curated
from azgraph.build.datefacts import DateTable, Settled
from azgraph.build.entities import merge_entities
from azgraph.build.seeds import Seed, load_seeds
from azgraph.build.verify import Tally, annotate_derivation, verify_build
from azgraph.build.vocab import PropertyInfo, PropertyKind, Vocabulary, load_vocabulary
from azgraph.errors import CurationError, StaleError
from azgraph.locking import folder_lock
from azgraph.parallel import default_jobs, ordered_map
from azgraph.progress import Tick
from azgraph.project import Project
from azgraph.rdf.iris import mint
from azgraph.rdf.namespaces import AZ as _AZ
from azgraph.rdf.triples import TripleSet, TripleSink, axiom_node
from azgraph.rdf.turtle import check_turtle_strict, to_turtle, write_turtle_text


class _Interned:
    """A namespace whose terms are made once: rdflib's ``RDF.type`` builds a new URIRef on every
    access, and the Turtle writer memoises terms by identity (see turtle._NTriples)."""

    def __init__(self, namespace: Namespace | type[Any]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(self._namespace[name])
        setattr(self, name, term)  # found as a plain attribute from now on
        return term


AZ, DCTERMS, OWL, RDF, RDFS, SKOS, XSD = (
    _Interned(ns) for ns in (_AZ, _DCTERMS, _OWL, _RDF, _RDFS, _SKOS, _XSD)
)

INTEGER = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class BuildResult:
    """The graphs a build produces, keyed by seed id, and what was written.

    ``compiled`` lists the seeds compiled afresh; the others came from the build cache.
    """

    graphs: dict[str, CachedSeed]
    written: list[Path]
    unchanged: list[Path]
    compiled: list[str]
    verification: Tally = field(default_factory=Tally)


def compile_project(project: Project, *, progress: Tick | None = None) -> dict[str, TripleSet]:
    """Read seeds, ontology and curated files; return one checked graph per seed.

    ``progress`` is called once per curated file read and once per seed compiled.
    """
    inputs = _read_inputs(project, progress=progress, use_cache=False, jobs=1)
    graphs = {}
    for seed_id in inputs.seeds:
        graphs[seed_id] = inputs.seed_graph(seed_id)
        if progress:
            progress(1)
    verify_build(inputs.curated, inputs.cached, inputs.vocab)
    return graphs


@dataclass
class _Inputs:
    """What compiling any one seed needs: the vocabulary, all seeds and all declared entities."""

    seeds: dict[str, Seed]
    vocab: Vocabulary
    curated: dict[str, Curated]
    entities: dict[str, Entity]
    cached: dict[str, CachedSeed]
    keys: dict[str, str]
    dates: DateTable

    def seed_graph(self, seed_id: str) -> TripleSet:
        graph = TripleSet()
        _add_source(graph, self.seeds[seed_id])
        cur = self.curated.get(seed_id)
        if cur is not None:
            compile_curated(cur, graph, self.entities, self.vocab, self.seeds, dates=self.dates)
        return graph

    def compile_seed(self, seed_id: str) -> CachedSeed:
        """One seed's graph as canonical Turtle with the facts the cache keeps (run in a worker)."""
        graph = self.seed_graph(seed_id)
        text = to_turtle(graph).encode("utf-8")
        check_turtle_strict(text, f"data/{seed_id}.ttl")  # here, in parallel, not when writing
        cur = self.curated.get(seed_id)
        meta = buildcache.describe(seed_id, cur, graph, text)
        return CachedSeed(meta | self.dates.describe(cur, self.vocab), text)


def _read_inputs(project: Project, *, progress: Tick | None, use_cache: bool, jobs: int) -> _Inputs:
    """Load seeds, ontology and curated files, taking unchanged seeds from the build cache.

    Curated files are parsed in up to ``jobs`` processes; a cached seed is not parsed at all,
    unless one of its references no longer resolves (then it is, so that its error names the
    line).
    """
    seeds = load_seeds(project.seeds_dir)
    vocab = load_vocabulary(project.ontology_file)
    files = sorted(project.curated_dir.glob("*.yaml"))
    code = buildcache.code_fingerprint() if use_cache else b""
    cached: dict[str, CachedSeed] = {}
    keys: dict[str, str] = {}
    for path in files:
        seed = seeds.get(path.stem)
        if use_cache and seed is not None:
            inputs = [seed.path, project.seeds_dir / f"{seed.id}.yaml"]
            keys[seed.id] = buildcache.seed_key(path, inputs, project.ontology_file, code)
            hit = buildcache.load(keys[seed.id])
            if hit is not None:
                cached[seed.id] = hit
                if progress:
                    progress(1)
    to_parse = [path for path in files if path.stem not in cached]
    parsed = ordered_map(partial(load_curated, seeds=seeds), to_parse, jobs=jobs, progress=progress)
    curated = {cur.seed: cur for cur in parsed}
    curated.update(
        (seed_id, hit.curated(project.curated_dir / f"{seed_id}.yaml"))
        for seed_id, hit in cached.items()
    )
    curated = dict(sorted(curated.items()))
    entities = merge_entities(list(curated.values()), vocab)
    fresh = [cur for k, cur in curated.items() if k not in cached]
    dates = DateTable.of_project(fresh, [hit.meta for hit in cached.values()], vocab)
    for seed_id, hit in list(cached.items()):
        if not all(_known(r, entities, seeds) for r in hit.references()) or dates.stale(hit.meta):
            del cached[seed_id]  # compile it again, so that its error names the line
            curated[seed_id] = load_curated(curated[seed_id].path, seeds)
    return _Inputs(seeds, vocab, curated, entities, cached, keys, dates)


def _known(curie: str, entities: dict[str, Entity], seeds: dict[str, Seed]) -> bool:
    return curie in entities or (curie.startswith("source:") and curie[7:] in seeds)


def compile_curated(
    cur: Curated,
    graph: TripleSink,
    entities: dict[str, Entity],
    vocab: Vocabulary,
    seeds: dict[str, Seed],
    *,
    dates: DateTable | None = None,
) -> None:
    """Add one curated file's evidence, entities and annotated facts to ``graph``.

    ``dates`` holds the date facts of all files (default: this file's), to settle each date.
    """
    dates = dates or DateTable.of_project([cur], [], vocab)
    for ev in cur.evidence.values():
        node = mint(f"evidence:{ev.id}")
        graph.add((node, RDF.type, AZ.Evidence))
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDFS.label, Literal(ev.id, lang="en")))
        graph.add((node, AZ.quoteText, Literal(ev.quote)))
        graph.add((node, AZ.quotedFrom, mint(f"source:{ev.seed}")))
        graph.add((node, AZ.startOffset, Literal(ev.start)))
        graph.add((node, AZ.endOffset, Literal(ev.end)))
        graph.add((node, AZ.lineNumber, Literal(ev.line)))
    for ent in cur.entities.values():
        node = mint(ent.id)
        graph.add((node, RDF.type, vocab.classes[ent.type]))
        graph.add((node, RDF.type, OWL.NamedIndividual))
        graph.add((node, RDFS.label, Literal(ent.label, lang="en")))
        if ent.note:
            graph.add((node, SKOS.editorialNote, Literal(ent.note, lang="en")))
    seen: dict[tuple[str, str, str], Fact] = {}
    for fact in cur.facts:
        triple = _fact_triple(fact, entities, vocab, seeds)
        key = (str(triple[0]), str(triple[1]), triple[2].n3())
        if key in seen:
            raise CurationError(
                f"duplicate fact (first at line {seen[key].yaml_line})",
                path=fact.path,
                line=fact.yaml_line,
                hint="Merge the two and list both evidence ids under 'ev'.",
            )
        seen[key] = fact
        triple, settled = dates.settle_fact(triple, fact)
        graph.add(triple)
        _annotate(graph, triple, fact, cur, settled)


def _add_source(graph: TripleSink, seed: Seed) -> None:
    node = mint(f"source:{seed.id}")
    meta = seed.meta
    graph.add((node, RDF.type, AZ.SourceDocument))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDFS.label, Literal(str(meta["title"]), lang="en")))
    graph.add((node, DCTERMS.title, Literal(str(meta["title"]), lang="en")))
    graph.add((node, DCTERMS.creator, Literal(str(meta["author"]))))
    graph.add((node, DCTERMS.publisher, Literal(str(meta["publisher"]))))
    graph.add((node, DCTERMS.language, Literal(str(meta["language"]))))
    graph.add((node, DCTERMS.identifier, Literal(seed.id)))
    graph.add((node, AZ.sha256, Literal(seed.sha256)))
    graph.add((node, AZ.seedFile, Literal(f"seeds/{seed.path.name}")))
    period = datefacts.parse_curated_date(str(meta["publication_date"]), seed.path, 1)
    value = datefacts.date_literal(period)
    graph.add((node, AZ.publicationDate, value))
    axiom = axiom_node(graph, (node, AZ.publicationDate, value))
    datefacts.add_bounds(graph, axiom, period)
    if meta.get("publication_date_source") == "inferred":
        graph.add((axiom, AZ.claimStatus, Literal("inferred")))
        graph.add(
            (
                axiom,
                SKOS.editorialNote,
                Literal(str(meta.get("publication_date_note", "")).strip(), lang="en"),
            )
        )
    for key in ("title", "author", "publisher"):
        if meta.get(f"{key}_source") == "editorial":
            graph.add(
                (
                    node,
                    SKOS.editorialNote,
                    Literal(f"The {key} is editorial: the seed text does not state it.", lang="en"),
                )
            )
    if meta.get("language_note"):
        graph.add(
            (node, SKOS.editorialNote, Literal(str(meta["language_note"]).strip(), lang="en"))
        )


def _fact_triple(
    fact: Fact, entities: dict[str, Entity], vocab: Vocabulary, seeds: dict[str, Seed]
) -> tuple[URIRef, URIRef, URIRef | Literal]:
    subject = _resolve(fact.s, fact, entities, seeds, "s")
    info = vocab.properties.get(fact.p)
    if info is None:
        raise CurationError(
            f"unknown property '{fact.p}'",
            path=fact.path,
            line=fact.yaml_line,
            hint=_suggest(fact.p, vocab),
        )
    if info.kind is PropertyKind.OBJECT:
        if fact.o is None:
            raise CurationError(
                f"az:{fact.p} relates two entities; give 'o', not 'v'",
                path=fact.path,
                line=fact.yaml_line,
            )
        return subject, info.iri, _resolve(fact.o, fact, entities, seeds, "o")
    if fact.v is None:
        raise CurationError(
            f"az:{fact.p} takes a value; give 'v', not 'o'", path=fact.path, line=fact.yaml_line
        )
    return subject, info.iri, _literal(fact, info)


def _resolve(
    curie: str, fact: Fact, entities: dict[str, Entity], seeds: dict[str, Seed], role: str
) -> URIRef:
    if _known(curie, entities, seeds):
        return mint(curie)
    close = [e for e in entities if e.split(":")[1].startswith(curie.split(":")[1][:6])][:3]
    raise CurationError(
        f"unknown entity '{curie}' in '{role}'",
        path=fact.path,
        line=fact.yaml_line,
        hint=(
            "Declare it under 'entities:'"
            + (f", or did you mean {', '.join(close)}?" if close else ".")
        ),
    )


def _suggest(name: str, vocab: Vocabulary) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(vocab.properties), n=3)
    if close:
        return f"Did you mean {', '.join(close)}?"
    return "The properties are listed in ontology/azgraph.ttl (or run: azgraph docs DIR)."


def _literal(fact: Fact, info: PropertyInfo) -> Literal:
    value = fact.v or ""
    rng = info.range
    if info.kind is PropertyKind.ANNOTATION or rng in (RDF.langString, RDF.PlainLiteral):
        if not fact.lang:
            raise CurationError(
                f"'{fact.p}' is text: give 'lang' (en, tr, az, ...)",
                path=fact.path,
                line=fact.yaml_line,
            )
        if fact.p == "label" and fact.lang.lower() == "en":
            raise CurationError(
                "the English label is the entity's 'label'; a 'label' fact is for other languages",
                path=fact.path,
                line=fact.yaml_line,
                hint="Use nameAsWritten for an English spelling the source uses.",
            )
        return Literal(value, lang=fact.lang)
    if fact.lang:
        raise CurationError(
            f"az:{fact.p} is not text; remove 'lang'", path=fact.path, line=fact.yaml_line
        )
    if rng == XSD.dateTime:
        return datefacts.date_literal(
            datefacts.parse_curated_date(value, fact.path, fact.yaml_line)
        )
    if rng == XSD.integer:
        if not INTEGER.match(value):
            raise CurationError(
                f"az:{fact.p} needs a whole number, not '{value}'",
                path=fact.path,
                line=fact.yaml_line,
                hint="Write digits only, e.g. 44.",
            )
        return Literal(int(value))
    if rng == XSD.decimal:
        if not DECIMAL.match(value):
            raise CurationError(
                f"az:{fact.p} needs a number, not '{value}'",
                path=fact.path,
                line=fact.yaml_line,
                hint="Write digits with an optional decimal point, e.g. 1768.",
            )
        lexical = str(Literal(value, datatype=XSD.decimal, normalize=True))
        # "1768" -> "1768.0": the form Turtle writes bare, and the one earlier dumps carried
        return Literal(lexical if "." in lexical else lexical + ".0", datatype=XSD.decimal)
    if rng == XSD.boolean:
        if value not in ("true", "false"):
            raise CurationError(
                f"az:{fact.p} needs true or false", path=fact.path, line=fact.yaml_line
            )
        return Literal(value == "true")
    return Literal(value)


# Each quote is repeated on every fact it supports, and rdflib takes ~10 µs per Literal.
@lru_cache(maxsize=1 << 16)
def _text(value: str) -> Literal:
    return Literal(value)


def _annotate(
    graph: TripleSink,
    triple: tuple[URIRef, URIRef, URIRef | Literal],
    fact: Fact,
    cur: Curated,
    settled: Settled | None,
) -> None:
    axiom = axiom_node(graph, triple)
    graph.add((axiom, DCTERMS.source, mint(f"source:{cur.seed}")))
    for ev_id in fact.evidence:
        graph.add((axiom, AZ.evidence, mint(f"evidence:{ev_id}")))
        graph.add((axiom, AZ.quote, _text(cur.evidence[ev_id].quote)))
    if settled is not None:
        datefacts.annotate_date(graph, axiom, fact, settled)
    if fact.status:
        graph.add((axiom, AZ.claimStatus, Literal(fact.status)))
    if fact.note:
        graph.add((axiom, SKOS.editorialNote, Literal(fact.note, lang="en")))
    if fact.approx:
        graph.add((axiom, AZ.approximate, Literal(True)))
    annotate_derivation(graph, axiom, fact)


def build_graphs(
    project: Project,
    *,
    check: bool = False,
    progress: Tick | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> BuildResult:
    """Compile and write ``data/<seed>.ttl``; with ``check``, write nothing and raise if stale.

    With ``use_cache`` (the default), seeds whose inputs are unchanged since an earlier build are
    taken from the build cache instead of being compiled again (buildcache.py). Curated files are
    parsed, and seeds compiled, in up to ``jobs`` processes (default: `parallel.default_jobs`);
    the output and any error are the same whatever the number.
    """
    jobs = default_jobs() if jobs is None else jobs
    inputs = _read_inputs(project, progress=progress, use_cache=use_cache, jobs=jobs)
    todo = [seed_id for seed_id in inputs.seeds if seed_id not in inputs.cached]
    if progress and inputs.cached:
        progress(len(inputs.cached))
    compiled = ordered_map(inputs.compile_seed, todo, jobs=jobs, progress=progress)
    fresh = dict(zip(todo, compiled, strict=True))
    graphs = dict(sorted({**inputs.cached, **fresh}.items()))
    verification = verify_build(inputs.curated, inputs.cached, inputs.vocab, fresh)
    for seed_id, compiled_seed in fresh.items():
        if seed_id in inputs.keys:
            buildcache.store(inputs.keys[seed_id], compiled_seed)
    expected = {
        project.data_dir / f"{seed}.ttl": graph.turtle.decode("utf-8")
        for seed, graph in graphs.items()
    }
    checked = set(expected)  # parsed strictly when compiled (cached ones before caching)
    from azgraph.build.mappings import LINKS_FILE, compile_links  # editorial Wikidata links (#8)

    links = compile_links(project, graphs)
    if links is not None:
        expected[project.data_dir / LINKS_FILE] = to_turtle(links)
    if check:
        stale = [
            p for p, text in expected.items() if not p.exists() or p.read_bytes() != text.encode()
        ]
        extra = [p for p in project.data_files() if p not in expected]
        if stale or extra:
            names = ", ".join(str(p.relative_to(project.root)) for p in [*stale, *extra])
            raise StaleError(
                f"generated files are stale: {names}",
                hint="Run 'azgraph build' and commit the result.",
            )
        return BuildResult(graphs, [], sorted(expected), todo, verification)
    written: list[Path] = []
    unchanged: list[Path] = []
    with folder_lock(project.data_dir):
        for path, text in sorted(expected.items()):
            done = write_turtle_text(path, text, checked=path in checked)
            (written if done else unchanged).append(path)
            if progress:
                progress(1)
    return BuildResult(graphs, written, unchanged, todo, verification)
