"""The project's namespaces, its prefix map and the one graph factory.

Every graph azgraph writes comes from `new_graph()`, so the same prefixes are bound everywhere and
serialisations stay byte-identical.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from azgraph.rdf.prefixes import BASE, INSTANCE_KINDS, PREFIXES

AZ = Namespace(f"{BASE}ontology#")
AZSH = Namespace(f"{BASE}shapes#")
ONTOLOGY_IRI = f"{BASE}ontology"
VANN = Namespace("http://purl.org/vocab/vann/")
SH = Namespace("http://www.w3.org/ns/shacl#")

INSTANCE_NS = {kind: Namespace(f"{BASE}id/{kind}/") for kind in INSTANCE_KINDS}


def new_graph() -> Graph:
    """An empty graph with exactly the project prefixes bound (rdflib's defaults dropped)."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, for queries typed on the command line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))


_BY_LENGTH = sorted(((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda p: -len(p[0]))


def short(term: Node | None) -> str:
    """A compact human form: prefixed names for IRIs, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for iri, prefix in _BY_LENGTH:
            local = text[len(iri) :]
            if text.startswith(iri) and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
