"""The dataset description of a release: VoID statistics and DCAT distributions, in one graph.

Counts are computed from the graph itself (tests/publish/test_release.py re-counts them with
SPARQL):
``void:triples``, ``void:entities`` (distinct subject IRIs under ``{BASE}id/``), one
``void:classPartition`` per class and one ``void:propertyPartition`` per property. Every dump is a
``dcat:Distribution`` with its media type, byte size and SHA-256 checksum (SPDX). No blank nodes:
partitions and distributions get hash IRIs under ``{BASE}void#``, so the output is stable.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, XSD
from rdflib.term import Node

from azgraph.rdf.namespaces import AZ, ONTOLOGY_IRI, short
from azgraph.rdf.prefixes import BASE, VOID_PREFIXES

if TYPE_CHECKING:
    from azgraph.publish.exporters import WrittenFile

VOID = Namespace(VOID_PREFIXES["void"])
SPDX = Namespace(VOID_PREFIXES["spdx"])
D = Namespace(VOID_PREFIXES["d"])
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
ENTITY_SPACE = f"{BASE}id/"


def describe(
    data: Graph,
    *,
    ontology: Graph,
    parts: dict[str, Graph],
    files: Iterable[WrittenFile],
    version: str,
) -> Graph:
    """VoID + DCAT for ``data`` (all seeds), its per-file subsets and the ontology."""
    g = Graph(bind_namespaces="none")
    for prefix, iri in VOID_PREFIXES.items():
        g.bind(prefix, iri)
    dataset = D.dataset
    _dataset(g, dataset, version)
    g.add((dataset, DCTERMS.title, Literal("azgraph: Turkish–Azerbaijani relations", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((dataset, VOID.vocabulary, URIRef(str(AZ))))
    g.add((dataset, VOID.uriSpace, Literal(ENTITY_SPACE)))
    g.add((dataset, DCAT.landingPage, URIRef(f"{BASE}site/index.html")))
    _statistics(g, dataset, data, partitions=True)
    for source in sorted(data.subjects(RDF.type, AZ.SourceDocument), key=str):
        g.add((dataset, DCTERMS.source, source))
        for p in (RDFS.label, DCTERMS.creator, DCTERMS.publisher, AZ.publicationDate):
            for o in data.objects(source, p):
                g.add((source, p, o))
    for stem, part in sorted(parts.items()):
        subset = D[f"subset-{stem}"]
        g.add((dataset, VOID.subset, subset))
        _dataset(g, subset, version)
        g.add((subset, DCTERMS.title, Literal(f"azgraph data from data/{stem}.ttl", lang="en")))
        _statistics(g, subset, part, partitions=False)
    onto = D.ontology
    _dataset(g, onto, version)
    g.add((onto, DCTERMS.title, Literal("The azgraph ontology", lang="en")))
    g.add((onto, FOAF.primaryTopic, URIRef(ONTOLOGY_IRI)))
    _statistics(g, onto, ontology, partitions=False)
    by_part = {"data": dataset, "ontology": onto}
    for f in files:
        target = by_part.get(f.part, D[f"subset-{f.part}"])
        _distribution(g, target, f)
    return g


DESCRIPTION = (
    "An evidence-grounded knowledge graph of Turkish–Azerbaijani relations, built from two "
    "articles: every fact carries the verbatim sentence it came from."
)


def _dataset(g: Graph, node: URIRef, version: str) -> None:
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.license, CC_BY))
    g.add((node, OWL.versionInfo, Literal(version)))
    g.add((node, URIRef(f"{DCAT}version"), Literal(version)))  # DCAT 3


def _statistics(g: Graph, node: URIRef, data: Graph, *, partitions: bool) -> None:
    entities = {s for s in data.subjects() if isinstance(s, URIRef) and s.startswith(ENTITY_SPACE)}
    classes: dict[URIRef, set[object]] = defaultdict(set)
    for s, c in data.subject_objects(RDF.type):
        if isinstance(c, URIRef):
            classes[c].add(s)
    properties = Counter(p for _, p, _ in data)
    g.add((node, VOID.triples, Literal(len(data))))
    g.add((node, VOID.entities, Literal(len(entities))))
    g.add((node, VOID.classes, Literal(len(classes))))
    g.add((node, VOID.properties, Literal(len(properties))))
    g.add((node, VOID.distinctSubjects, Literal(len(set(data.subjects())))))
    g.add((node, VOID.distinctObjects, Literal(len(set(data.objects())))))
    if not partitions:
        return
    for cls, members in sorted(classes.items()):
        part = D[f"class-{_local(cls)}"]
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(len(members))))
    for prop, count in sorted(properties.items()):
        part = D[f"property-{_local(prop)}"]
        g.add((node, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))


def _local(iri: Node) -> str:
    return short(iri).replace(":", "-").replace("/", "-").replace("#", "-")


def _distribution(g: Graph, dataset: URIRef, f: WrittenFile) -> None:
    name = f.path.name
    dist = D[f"dist-{name.replace('.', '-')}"]
    url = URIRef(f"{BASE}{name}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dataset, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef(f"{IANA}{f.media_type}")))
    g.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
    g.add((dist, DCTERMS.license, CC_BY))
    checksum = D[f"sha256-{name.replace('.', '-')}"]
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(f.sha256, datatype=XSD.hexBinary)))
