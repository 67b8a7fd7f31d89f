"""The site's offline search: an index written as a JavaScript file, not JSON, because browsers
refuse ``fetch`` on ``file://``; a ``<script>`` tag loads it from a folder, a USB stick or any
static host alike. The search itself is MiniSearch (npm, MIT), vendored in ``templates/``."""

from __future__ import annotations

import json

from azgraph.publish.sitemodel import Entity, SiteModel
from azgraph.rdf.namespaces import AZ

# Files the search needs beside the pages, copied from the templates folder unchanged.
SEARCH_ASSETS = ("minisearch.js", "search.js")
INDEX_FILE = "search-index.js"


def search_index(model: SiteModel) -> str:
    """One record per entity page: label, other labels and names as written, quoted words.
    Sorted by page path and dumped with sorted keys so the file is byte-stable."""
    records = [_record(i, entity, model) for i, entity in enumerate(_ordered(model))]
    body = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "/* azgraph search index, written by `azgraph release` */\nwindow.AZGRAPH_SEARCH = " + (
        body.replace("</", "<\\/") + ";\n"
    )


def _ordered(model: SiteModel) -> list[Entity]:
    return sorted(model.entities.values(), key=lambda e: e.path)


def _record(i: int, entity: Entity, model: SiteModel) -> dict[str, object]:
    names: list[str] = []
    for values in entity.labels.values():
        names.extend(v for v in values if v != entity.label and v not in names)
    quotes: list[str] = []
    for fact in entity.facts:
        if fact.prop == AZ.nameAsWritten and str(fact.obj) not in names:
            names.append(str(fact.obj))
        for quote in fact.quotes:
            if quote.mark not in quotes:
                quotes.append(quote.mark)
    kind = model.label(entity.cls) if entity.cls is not None else ""
    return {
        "id": i,
        "k": kind,
        "n": " · ".join(names),
        "q": " … ".join(quotes),
        "t": entity.label,
        "u": entity.path,
    }
