"""The Protégé bundle: the ontology and the data as RDF/XML, an "all" ontology and an XML catalog.

Protégé (and every OWL API tool) opens ``azgraph-all.owl``, which ``owl:imports`` the ontology and
the data; ``catalog-v001.xml`` maps each import IRI to the file beside it, so nothing is fetched.
The data and "all" ontologies carry a title, the ontology's license and a version IRI and
version info of the release (the package version), as the ontology does, so that catalogues
and Protégé's ontology view can tell one release's files from another's.
The data ontology imports the ontology itself, so the OWL API parser sees the property kinds
while it reads the facts. Evidence stays on each fact as OWL axiom annotations (``az:quote``,
``dcterms:source``, ``az:evidence``), which Protégé shows beside the assertion.

Output is deterministic: blank nodes get the labels of `rdf.bnodes.labelled`, triples are
written sorted by subject (``rdf:type`` first), and every file is written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS
from rdflib.term import Node

from azgraph.errors import InputError, OutputError
from azgraph.rdf.bnodes import is_blank, labelled
from azgraph.rdf.namespaces import new_graph
from azgraph.rdf.prefixes import BASE, PREFIXES
from azgraph.rdf.store import load_rdflib
from azgraph.rdf.terms import to_oxigraph
from azgraph.rdf.triples import Triple
from azgraph.rdf.turtle import write_atomic

ONTOLOGY_FILE = "ontology.owl"
DATA_FILE = "data.owl"
ALL_FILE = "azgraph-all.owl"
CATALOG_FILE = "catalog-v001.xml"
DATA_IRI = f"{BASE}data"
ALL_IRI = f"{BASE}all"


@dataclass(frozen=True)
class Bundle:
    """What `write_bundle` wrote: the files (in write order) and the import IRI of each."""

    folder: Path
    files: tuple[Path, ...]
    written: tuple[Path, ...]
    imports: dict[str, str]  # ontology IRI -> file name, as in the catalog
    triples: int

    @property
    def all_file(self) -> Path:
        return self.folder / ALL_FILE

    @property
    def catalog(self) -> Path:
        return self.folder / CATALOG_FILE


def ontology_iri(graph: Graph, path: Path) -> tuple[URIRef, URIRef | None]:
    """The ontology's IRI and version IRI, from its one ``owl:Ontology`` header."""
    heads = sorted(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if len(heads) != 1:
        raise InputError(
            f"expected one owl:Ontology header with an IRI, found {len(heads)}",
            path=path,
            hint="Give the ontology exactly one  <IRI> a owl:Ontology  header.",
        )
    version = graph.value(heads[0], OWL.versionIRI)
    return heads[0], version if isinstance(version, URIRef) else None


def to_rdfxml(graph: Graph) -> bytes:
    """Deterministic RDF/XML: the blank-node labels of `bnodes.labelled`, subjects sorted,
    ``rdf:type`` first."""

    def key(triple: Triple) -> tuple[bool, str, bool, str, str]:
        s, p, o = triple
        return (is_blank(s), str(s), p != RDF.type, str(p), _sort_key(o))

    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in sorted(labelled(list(graph)), key=key)
    ]
    prefixes = {p: iri for p, iri in sorted(PREFIXES.items()) if not iri.startswith(f"{BASE}id/")}
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=prefixes) or b""


def _sort_key(term: Node) -> str:
    if isinstance(term, Literal):
        return f"{term}\x00{term.language or ''}\x00{term.datatype or ''}"
    return str(term)


def header_graph(
    iri: str,
    label: str,
    comment: str,
    imports: Iterable[URIRef],
    *,
    version: str | None = None,
    license: Node | None = None,
) -> Graph:
    """An ``owl:Ontology`` header; with ``version``, also a title, version IRI and info."""
    graph = new_graph()
    node = URIRef(iri)
    graph.add((node, RDF.type, OWL.Ontology))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    graph.add((node, RDFS.comment, Literal(comment, lang="en")))
    for target in imports:
        graph.add((node, OWL.imports, target))
    if version is not None:
        graph.add((node, DCTERMS.title, Literal(label, lang="en")))
        graph.add((node, OWL.versionIRI, URIRef(f"{iri}/{version}")))
        graph.add((node, OWL.versionInfo, Literal(version)))
    if license is not None:
        graph.add((node, DCTERMS.license, license))
    return graph


def catalog_id(iri: str) -> str:
    """A catalog entry's id, unique per IRI: the IRI's path, e.g. ``azgraph-ontology-0.1.0``."""
    path = re.sub(r"^[a-z]+://[^/]+/", "", iri)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path).strip("-.") or "azgraph"


def catalog_xml(imports: dict[str, str]) -> str:
    """Protégé's XML catalog: one ``<uri>`` per import IRI, pointing at a file beside it."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
    ]
    for iri, name in sorted(imports.items()):
        entry = f"id={quoteattr(catalog_id(iri))} name={quoteattr(iri)} uri={quoteattr(name)}"
        lines.append(f"    <uri {entry}/>")
    lines.append("</catalog>")
    return "\n".join(lines) + "\n"


def _verify_rdfxml(path: Path) -> Callable[[bytes], None]:
    def verify(data: bytes) -> None:
        try:
            for _ in ox.parse(data, format=ox.RdfFormat.RDF_XML):
                pass
        except SyntaxError as exc:
            raise OutputError(f"wrote invalid RDF/XML: {exc}", path=path) from exc

    return verify


def write_bundle(ontology_file: Path, data_files: list[Path], folder: Path) -> Bundle:
    """Write the Protégé bundle for ``ontology_file`` + ``data_files`` into ``folder``."""
    if folder.exists() and not folder.is_dir():
        raise OutputError("not a folder", path=folder, hint="Give a folder to write the bundle to.")
    from azgraph import __version__

    ontology = load_rdflib([ontology_file])
    onto_iri, version_iri = ontology_iri(ontology, ontology_file)
    license = ontology.value(onto_iri, DCTERMS.license)
    data = load_rdflib(data_files) if data_files else new_graph()
    data += header_graph(
        DATA_IRI,
        "azgraph data",
        "The facts of the azgraph knowledge graph, each OWL assertion annotated with the "
        "verbatim quote, the source document and the evidence individual that support it.",
        [onto_iri],
        version=__version__,
        license=license,
    )
    everything = header_graph(
        ALL_IRI,
        "azgraph ontology and data",
        "Open this file in Protégé: it imports the azgraph ontology and data "
        "(catalog-v001.xml maps the imports to the files beside it).",
        [onto_iri, URIRef(DATA_IRI)],
        version=__version__,
        license=license,
    )
    imports = {str(onto_iri): ONTOLOGY_FILE, DATA_IRI: DATA_FILE, ALL_IRI: ALL_FILE}
    imports[f"{DATA_IRI}/{__version__}"] = DATA_FILE
    imports[f"{ALL_IRI}/{__version__}"] = ALL_FILE
    if version_iri is not None:
        imports[str(version_iri)] = ONTOLOGY_FILE
    outputs: list[tuple[Path, bytes]] = [
        (folder / ONTOLOGY_FILE, to_rdfxml(ontology)),
        (folder / DATA_FILE, to_rdfxml(data)),
        (folder / ALL_FILE, to_rdfxml(everything)),
        (folder / CATALOG_FILE, catalog_xml(imports).encode("utf-8")),
    ]
    written = []
    for path, content in outputs:
        verify = _verify_rdfxml(path) if path.suffix == ".owl" else None
        if write_atomic(path, content, verify=verify):
            written.append(path)
    return Bundle(
        folder=folder,
        files=tuple(p for p, _ in outputs),
        written=tuple(written),
        imports=imports,
        triples=len(ontology) + len(data) + len(everything),
    )
