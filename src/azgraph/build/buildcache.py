"""Incremental builds: a seed whose inputs are unchanged is not compiled again.

A seed's file ``data/<seed>.ttl`` depends only on its curated file, its seed text and metadata,
the ontology and the build code; the other files matter only through checks (an entity declared
two ways, a reference to an entity no file declares). So each compiled seed is cached under a
BLAKE2 digest of exactly those inputs (`seed_key`), with what the checks and ``links.ttl`` need:
the entities it declares, the ids it refers to, and its named individuals. A build then parses
and compiles only the seeds whose key is new, and re-checks every seed's references against the
entities of all of them; a cached seed whose references no longer resolve is compiled again, so
its error is reported with its line. Output is byte-identical to a full build
(tests/build/test_buildcache.py); ``azgraph build --no-cache`` does a full one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azgraph.cache import blake2b, cache_dir, content_key, read_json, write_entry, write_json

if TYPE_CHECKING:
    from rdflib.term import Node

    from azgraph.build.curated import Curated
    from azgraph.rdf.triples import TripleSet

_VERSION = 1


def code_fingerprint() -> bytes:
    """A digest of azgraph's code (all of it: `paths.code_digest`) and the RDF libraries'
    versions."""
    import pyoxigraph
    import rdflib

    from azgraph.paths import code_digest

    versions = f"{_VERSION} {pyoxigraph.__version__} {rdflib.__version__} {code_digest()}"
    return blake2b(versions.encode()).digest()


def seed_key(curated: Path, seed_files: list[Path], ontology: Path, code: bytes) -> str:
    """The digest of everything ``data/<seed>.ttl`` is made from."""
    return content_key([curated, *seed_files, ontology], salt=code.hex())


def load(key: str) -> CachedSeed | None:
    """The cached compile of a seed, or None (absent, damaged, or the cache is off)."""
    root = cache_dir()
    if root is None:
        return None
    meta = read_json("build", key)
    try:
        turtle = (root / "build" / f"{key}.ttl").read_bytes()
        if not isinstance(meta, dict) or blake2b(turtle).hexdigest() != meta["turtle_digest"]:
            return None
        return CachedSeed(meta, turtle)
    except (OSError, KeyError, TypeError):
        return None


def describe(seed: str, cur: Curated | None, graph: TripleSet, turtle: bytes) -> dict[str, Any]:
    """What the cache keeps beside a seed's Turtle: what the cross-seed checks and links need."""
    from rdflib import OWL, RDF, URIRef

    individual, a = str(OWL.NamedIndividual), str(RDF.type)
    refs = set()
    if cur is not None:
        refs = {ref for fact in cur.facts for ref in (fact.s, fact.o) if ref is not None}
    entities = cur.entities.values() if cur is not None else ()
    return {
        "seed": seed,
        "triples": len(graph),
        "turtle_digest": blake2b(turtle).hexdigest(),
        "entities": [[e.id, e.type, e.label, e.note, e.yaml_line] for e in entities],
        "references": sorted(refs),
        "individuals": sorted(
            str(s)  # compared as plain strings: rdflib's == and hash run in Python
            for s, p, o in graph
            if isinstance(o, URIRef) and str(o) == individual and str(p) == a
        ),
    }


def store(key: str, compiled: CachedSeed) -> None:
    """Cache one compiled seed (failures are ignored: the cache is optional)."""
    if write_entry("build", f"{key}.ttl", compiled.turtle):
        write_json("build", key, compiled.meta)


class CachedSeed:
    """A compiled seed: its Turtle and the facts the checks need (from this build or the cache).

    It answers the two look-ups ``links.ttl`` makes (`subjects` of named individuals, and
    `objects` for a disputed fact) without rebuilding the graph: the first from the cached list,
    the second by parsing the cached Turtle with pyoxigraph, only when asked.
    """

    def __init__(self, meta: dict[str, Any], turtle: bytes) -> None:
        self.meta = meta
        self.turtle = turtle
        self._objects: dict[tuple[str, str], list[Any]] | None = None

    def __len__(self) -> int:
        return int(self.meta["triples"])

    def curated(self, path: Path) -> Curated:
        """A `Curated` holding only the declared entities (for the cross-file checks)."""
        from azgraph.build.curated import Curated, Entity

        cur = Curated(str(self.meta["seed"]), path)
        for ent_id, ent_type, label, note, line in self.meta["entities"]:
            cur.entities[ent_id] = Entity(ent_id, ent_type, label, note, path, line)
        return cur

    def references(self) -> list[str]:
        return list(self.meta["references"])

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        from rdflib import OWL, RDF, URIRef

        if (predicate, obj) != (RDF.type, OWL.NamedIndividual):
            raise NotImplementedError("a cached seed lists only its named individuals")
        return (URIRef(iri) for iri in self.meta["individuals"])

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        if self._objects is None:
            import pyoxigraph as ox

            from azgraph.rdf.terms import to_rdflib

            index: dict[tuple[str, str], list[Any]] = {}
            for t in ox.parse(self.turtle, format=ox.RdfFormat.TURTLE):
                if isinstance(t.subject, ox.NamedNode):
                    key = (t.subject.value, t.predicate.value)
                    index.setdefault(key, []).append(to_rdflib(t.object))
            self._objects = index
        return iter(self._objects.get((str(subject), str(predicate)), ()))
