"""What the ontology declares, read once from ontology/azgraph.ttl.

The build consults this to reject unknown classes and properties and to type literals by the
declared range, so the ontology stays the single source of truth for the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from azgraph.errors import InputError
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.triples import TripleSet


class PropertyKind(Enum):
    OBJECT = "object"
    DATATYPE = "datatype"
    ANNOTATION = "annotation"


@dataclass(frozen=True)
class PropertyInfo:
    iri: URIRef
    kind: PropertyKind
    range: URIRef | None  # a datatype IRI for datatype properties


@dataclass(frozen=True)
class Vocabulary:
    """Classes and properties the ontology declares, keyed by their ``az:`` local name."""

    graph: TripleSet
    classes: dict[str, URIRef]
    properties: dict[str, PropertyInfo]

    def superclasses(self, name: str) -> set[str]:
        """The class and all its named ancestors, by local name."""
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen or current not in self.classes:
                continue
            seen.add(current)
            for parent in self.graph.objects(self.classes[current], RDFS.subClassOf):
                if isinstance(parent, URIRef) and str(parent).startswith(str(AZ)):
                    todo.append(str(parent)[len(str(AZ)) :])
        return seen


_KINDS = {
    OWL.ObjectProperty: PropertyKind.OBJECT,
    OWL.DatatypeProperty: PropertyKind.DATATYPE,
    OWL.AnnotationProperty: PropertyKind.ANNOTATION,
}


def load_vocabulary(ontology_file: Path) -> Vocabulary:
    graph = _read(ontology_file)
    classes = {
        str(c)[len(str(AZ)) :]: c
        for c in graph.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(str(AZ))
    }
    properties: dict[str, PropertyInfo] = {}
    for rdf_kind, kind in _KINDS.items():
        for prop in graph.subjects(RDF.type, rdf_kind):
            if not (isinstance(prop, URIRef) and str(prop).startswith(str(AZ))):
                continue
            name = str(prop)[len(str(AZ)) :]
            if name in properties:
                raise InputError(
                    f"az:{name} is declared as two kinds of property",
                    path=ontology_file,
                    hint="OWL 2 DL forbids this punning.",
                )
            rng = graph.value(prop, RDFS.range)
            properties[name] = PropertyInfo(prop, kind, rng if isinstance(rng, URIRef) else None)
    properties["label"] = PropertyInfo(RDFS.label, PropertyKind.ANNOTATION, RDF.langString)
    if not classes:
        raise InputError("the ontology declares no az: classes", path=ontology_file)
    return Vocabulary(graph, classes, properties)


def _read(path: Path) -> TripleSet:
    """The ontology's triples, parsed by pyoxigraph (rdflib's parser took a quarter of a second
    of every build); bad Turtle raises with its line."""
    import pyoxigraph as ox

    from azgraph.inputs import read_limited
    from azgraph.rdf.terms import to_rdflib
    from azgraph.rdf.turtle import (
        MAX_TURTLE_BYTES,
        blank_links,
        check_blank_depth,
        check_turtle_strict,
    )

    data = read_limited(path, MAX_TURTLE_BYTES)
    triples = TripleSet()
    try:
        for t in ox.parse(data, format=ox.RdfFormat.TURTLE):
            triples.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    except SyntaxError:
        check_turtle_strict(data, path)  # raises with the line number
        raise
    check_blank_depth(blank_links(triples), path)
    return triples


DATE_TYPES = {XSD.dateTime}
