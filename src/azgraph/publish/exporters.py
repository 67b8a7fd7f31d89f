"""The dump formats of a release: one small class per format in a registry, and the
canonical copy every dump is made from.

Every dump is made from a *canonical* copy of the graph (blank nodes relabelled by RDFC-1.0
through pyoxigraph, triples inserted in sorted order), so each format is byte-identical on
rebuild. Every file goes through `turtle.write_atomic` with a strict pyoxigraph re-parse that
must find as many triples as the graph has, before it replaces the previous file. The release
(release.py), its description (void.py) and the site (site.py) all write through here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
from rdflib import Graph, URIRef

from azgraph.errors import OutputError
from azgraph.publish.jsonld import CONTEXT, normalise_jsonld
from azgraph.rdf.bnodes import labelled
from azgraph.rdf.namespaces import new_graph
from azgraph.rdf.prefixes import PREFIXES, VOID_PREFIXES
from azgraph.rdf.terms import to_oxigraph
from azgraph.rdf.turtle import write_atomic


@dataclass(frozen=True)
class Exporter:
    """One dump format: how to serialise a canonical graph and how to re-read it strictly."""

    name: ClassVar[str]
    suffix: ClassVar[str]
    media_type: ClassVar[str]
    ox_format: ClassVar[ox.RdfFormat]

    def serialize(self, graph: Graph) -> bytes:
        raise NotImplementedError

    def verify(self, data: bytes, expected: int, path: Path) -> None:
        """Raise OutputError unless pyoxigraph parses ``data`` to ``expected`` triples."""
        try:
            count = sum(1 for _ in ox.parse(data, format=self.ox_format))
        except (SyntaxError, ValueError) as exc:
            raise OutputError(
                f"the {self.name} output does not re-parse: {exc}",
                path=path,
                hint="The previous file is unchanged; please report this as a bug.",
            ) from exc
        if count != expected:
            raise OutputError(
                f"the {self.name} output re-parses to {count} triples, expected {expected}",
                path=path,
                hint="The previous file is unchanged; please report this as a bug.",
            )


@dataclass(frozen=True)
class TurtleDump(Exporter):
    name: ClassVar[str] = "turtle"
    suffix: ClassVar[str] = ".ttl"
    media_type: ClassVar[str] = "text/turtle"
    ox_format: ClassVar[ox.RdfFormat] = ox.RdfFormat.TURTLE

    def serialize(self, graph: Graph) -> bytes:
        text = graph.serialize(format="longturtle")
        return (text if text.endswith("\n") else text + "\n").encode("utf-8")


@dataclass(frozen=True)
class NTriplesDump(Exporter):
    name: ClassVar[str] = "ntriples"
    suffix: ClassVar[str] = ".nt"
    media_type: ClassVar[str] = "application/n-triples"
    ox_format: ClassVar[ox.RdfFormat] = ox.RdfFormat.N_TRIPLES

    def serialize(self, graph: Graph) -> bytes:
        data = ox.serialize(_ox_triples(graph), format=ox.RdfFormat.N_TRIPLES) or b""
        lines = data.splitlines(True)
        return b"".join(sorted(lines))


@dataclass(frozen=True)
class JsonLdDump(Exporter):
    name: ClassVar[str] = "jsonld"
    suffix: ClassVar[str] = ".jsonld"
    media_type: ClassVar[str] = "application/ld+json"
    ox_format: ClassVar[ox.RdfFormat] = ox.RdfFormat.JSON_LD

    def serialize(self, graph: Graph) -> bytes:
        text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
        doc = normalise_jsonld(json.loads(text))
        return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


@dataclass(frozen=True)
class RdfXmlDump(Exporter):
    name: ClassVar[str] = "rdfxml"
    suffix: ClassVar[str] = ".rdf"
    media_type: ClassVar[str] = "application/rdf+xml"
    ox_format: ClassVar[ox.RdfFormat] = ox.RdfFormat.RDF_XML

    def serialize(self, graph: Graph) -> bytes:
        known = PREFIXES.keys() | VOID_PREFIXES.keys()
        prefixes = {p: str(ns) for p, ns in graph.namespaces() if p in known}
        data = ox.serialize(_ox_triples(graph), format=self.ox_format, prefixes=prefixes) or b""
        return data if data.endswith(b"\n") else data + b"\n"


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (TurtleDump(), NTriplesDump(), JsonLdDump(), RdfXmlDump())
}


def _ox_triples(graph: Graph) -> list[ox.Triple]:
    triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph]  # type: ignore[arg-type]
    return sorted(triples, key=str)


def canonical(graph: Graph, *, prefixes: dict[str, str] | None = None) -> Graph:
    """A copy of ``graph`` with the blank-node labels of `bnodes.labelled`, triples added in
    sorted order."""
    triples = labelled(list(graph))
    keys = [str(ox.Quad(*(to_oxigraph(t) for t in triple))) for triple in triples]  # type: ignore[arg-type]
    out = new_graph()
    for prefix, iri in (prefixes or {}).items():
        out.bind(prefix, iri)
    for _, triple in sorted(zip(keys, triples, strict=True), key=lambda pair: pair[0]):
        out.add(triple)
    return out


@dataclass(frozen=True)
class WrittenFile:
    """One file of a release, with what VoID says about it."""

    path: Path
    size: int
    sha256: str
    media_type: str
    part: str  # "ontology", "data", or the stem of a data file
    changed: bool


def write_rdf(path: Path, graph: Graph, exporter: Exporter, *, part: str = "") -> WrittenFile:
    """Serialise a canonical ``graph`` with ``exporter``; atomic, strictly re-parsed."""
    data = exporter.serialize(graph)
    expected = len(graph)
    changed = write_atomic(path, data, verify=lambda b: exporter.verify(b, expected, path))
    return WrittenFile(
        path, len(data), hashlib.sha256(data).hexdigest(), exporter.media_type, part, changed
    )


def write_text(path: Path, text: str, verify: Callable[[bytes], None] | None = None) -> bool:
    return write_atomic(path, text, verify=verify)


def entity_graph(data: Graph, entity: URIRef) -> Graph:
    """The entity's own triples, the OWL axioms that annotate them, and the evidence they cite."""
    from rdflib.namespace import OWL

    from azgraph.rdf.namespaces import AZ

    out = new_graph()
    for triple in data.triples((entity, None, None)):
        out.add(triple)
    for axiom in data.subjects(OWL.annotatedSource, entity):
        for _, p, o in data.triples((axiom, None, None)):
            out.add((axiom, p, o))
            if p == AZ.evidence:
                for triple in data.triples((o, None, None)):
                    out.add(triple)
    return out
