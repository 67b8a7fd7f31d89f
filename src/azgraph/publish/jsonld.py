"""The release's JSON-LD ``@context``: hand-curated, compact, and inlined in every JSON-LD file.

It names the project prefixes and the most used properties (counted on the real graph with
``azgraph query run -e 'SELECT ?p (COUNT(*) AS ?n) ...'``), not every prefix rdflib binds. The
same context ships as ``context.jsonld`` for reuse; the dumps inline it, so no parser has to fetch
anything (rdflib would fetch a remote ``@context`` URL).
"""

from __future__ import annotations

import json
from typing import Any

from azgraph.rdf.namespaces import INSTANCE_NS

_ID = "@id"

CONTEXT: dict[str, Any] = {
    "az": "https://w3id.org/azgraph/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{kind: str(ns) for kind, ns in sorted(INSTANCE_NS.items())},
    # annotations and evidence (the bulk of the graph)
    "label": {"@id": "rdfs:label"},
    "comment": {"@id": "rdfs:comment"},
    "editorialNote": {"@id": "skos:editorialNote"},
    "source": {"@id": "dcterms:source", "@type": _ID},
    "annotatedSource": {"@id": "owl:annotatedSource", "@type": _ID},
    "annotatedProperty": {"@id": "owl:annotatedProperty", "@type": _ID},
    "annotatedTarget": {"@id": "owl:annotatedTarget"},
    "evidence": {"@id": "az:evidence", "@type": _ID},
    "quote": {"@id": "az:quote"},
    "quoteText": {"@id": "az:quoteText"},
    "quotedFrom": {"@id": "az:quotedFrom", "@type": _ID},
    "lineNumber": {"@id": "az:lineNumber", "@type": "xsd:integer"},
    "startOffset": {"@id": "az:startOffset", "@type": "xsd:integer"},
    "endOffset": {"@id": "az:endOffset", "@type": "xsd:integer"},
    "claimStatus": {"@id": "az:claimStatus"},
    "datePrecision": {"@id": "az:datePrecision"},
    # the most used facts
    "nameAsWritten": {"@id": "az:nameAsWritten"},
    "claimText": {"@id": "az:claimText"},
    "about": {"@id": "az:about", "@type": _ID},
    "location": {"@id": "az:location", "@type": _ID},
    "attributedTo": {"@id": "az:attributedTo", "@type": _ID},
    "advocated": {"@id": "az:advocated", "@type": _ID},
    "participant": {"@id": "az:participant", "@type": _ID},
    "hasParty": {"@id": "az:hasParty", "@type": _ID},
    "heldPosition": {"@id": "az:heldPosition", "@type": _ID},
    "holder": {"@id": "az:holder", "@type": _ID},
    "office": {"@id": "az:office", "@type": _ID},
    "occupation": {"@id": "az:occupation"},
    "pointInTime": {"@id": "az:pointInTime", "@type": "xsd:dateTime"},
    "startTime": {"@id": "az:startTime", "@type": "xsd:dateTime"},
    "endTime": {"@id": "az:endTime", "@type": "xsd:dateTime"},
    "exactMatch": {"@id": "skos:exactMatch", "@type": _ID},
}


def normalise_jsonld(doc: Any) -> Any:
    """Sort ``@graph`` by ``@id`` and every value array by its JSON text (never ``@list``)."""
    if isinstance(doc, dict):
        out = {}
        for key, value in doc.items():
            if key in ("@list", "@context"):
                out[key] = value
            else:
                out[key] = normalise_jsonld(value)
        return out
    if isinstance(doc, list):
        items = [normalise_jsonld(item) for item in doc]
        return sorted(items, key=_sort_key)
    return doc


def _sort_key(item: Any) -> tuple[str, str]:
    if isinstance(item, dict) and isinstance(item.get("@id"), str):
        return (item["@id"], json.dumps(item, sort_keys=True, ensure_ascii=False))
    return ("", json.dumps(item, sort_keys=True, ensure_ascii=False))
