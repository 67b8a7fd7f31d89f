"""The page `azgraph serve` opens at ``/``, and the local site it links results to.

Oxigraph's bundled page (YASGUI) asked the browser for http://prefix.cc, and azgraph promises
to reach no network the user did not ask for. This page is one self-contained HTML document:
its script and style are inline, the project's prefixes and every bundled query (with its
header title and parameters) are embedded as JSON, and a Content-Security-Policy header keeps
the browser from fetching anything but the server itself. Result IRIs link to the release's
entity pages under ``/site/`` when a site was built, or to the server's own DESCRIBE answer.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path

from azgraph.query.queries import QueryFile
from azgraph.rdf.prefixes import BASE, PREFIXES

CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
)
SITE_PREFIX = "/site/"
_TYPES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".js": "text/javascript"}


def page_config(queries: dict[str, QueryFile], site: bool) -> dict[str, object]:
    """What the page's script needs, sorted so the page is the same bytes on every start."""
    return {
        "base": BASE,
        "prefixes": dict(sorted(PREFIXES.items())),
        "site": SITE_PREFIX if site else None,
        "queries": [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "kind": q.kind,
                "text": q.text,
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "description": p.description,
                        "default": p.default or "",
                    }
                    for p in q.params.values()
                ],
            }
            for _, q in sorted(queries.items())
        ],
    }


def query_page(queries: dict[str, QueryFile], site: bool) -> bytes:
    from importlib import resources

    template = resources.files("azgraph.publish").joinpath("templates/querypage.html")
    config = json.dumps(page_config(queries, site), ensure_ascii=False, sort_keys=True)
    text = template.read_text(encoding="utf-8").replace(
        "/*CONFIG*/null", config.replace("</", "<\\/")
    )
    return text.encode("utf-8")


def site_file(site: Path, path: str) -> tuple[bytes, str] | None:
    """The bytes and media type of ``/site/<rel>``, or None when no such file is in the site
    (paths that climb out of the folder are None too)."""
    rel = path[len(SITE_PREFIX) :] or "index.html"
    root = site.resolve()
    target = (root / rel).resolve()
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return None
    kind = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith(("javascript", "+json", "+xml")):
        kind += "; charset=utf-8"
    return target.read_bytes(), kind
