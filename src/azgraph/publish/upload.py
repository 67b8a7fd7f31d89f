"""Publishing the graph to a triple store: upload to a staging graph, verify, then switch.

1. HTTP PUT of the whole graph as N-Triples to ``<IRI>-staging-<sha>`` (SPARQL 1.1 Graph Store
   Protocol), 2. count the staging graph's triples with a SPARQL query and compare, 3. ``MOVE``
   the staging graph onto ``<IRI>`` with one SPARQL Update, then count again. Until step 3 the
   published graph is not touched, so a failed upload or a failed check leaves it as it was.

When a step fails, the staging graph is dropped before the error is raised, and the error says
whether that worked: a staging graph left on a server is a full copy of the data that nobody
will use, and the user should know to remove it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from azgraph.errors import AzgraphError, InputError, RemoteError
from azgraph.query.answers import json_result
from azgraph.query.endpoint import (
    Credentials,
    basic_authorization,
    check_status,
    check_url,
    find_credentials,
    http_request,
    send,
    sparql_request,
)
from azgraph.query.runoptions import DEFAULT_TIMEOUT
from azgraph.query.transport import USER_AGENT

_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Services:
    """The three URLs of one SPARQL server: query, update and Graph Store Protocol."""

    query: str
    update: str
    store: str


@dataclass(frozen=True)
class PublishReport:
    """What `publish_graph` did: the graph, its staging name, and the triple counts."""

    graph: str
    staging: str
    triples: int
    previous: int
    services: Services


def services_for(query_url: str, update: str | None = None, store: str | None = None) -> Services:
    """Fill in the update and store URLs from the query URL: .../query -> .../update, .../store."""
    check_url(query_url)
    parts = urlsplit(query_url)
    head, _, last = parts.path.rpartition("/")

    def sibling(name: str, option: str) -> str:
        if last not in ("query", "sparql"):
            raise InputError(
                f"cannot guess the {name} URL from this query URL",
                path=query_url,
                hint=f"Give {option} (Oxigraph: .../{name}; Fuseki: .../update and .../data).",
            )
        return urlunsplit(parts._replace(path=f"{head}/{name}", query="", fragment=""))

    update_url = check_url(update) if update else sibling("update", "--update-endpoint")
    store_url = check_url(store) if store else sibling("store", "--store-endpoint")
    return Services(query_url, update_url, store_url)


def ntriples(files: list[Path]) -> tuple[bytes, int]:
    """The ontology and data files as one N-Triples document, and its triple count."""
    import pyoxigraph as ox

    from azgraph.rdf.store import load_oxigraph

    store = load_oxigraph(files)
    payload = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return payload or b"", len(store)


def publish_graph(
    files: list[Path],
    services: Services,
    graph: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
) -> PublishReport:
    """Upload ``files`` to ``graph`` on the server through a verified staging graph."""
    if not _IRI.match(graph):
        raise InputError(
            f"'{graph}' is not an absolute IRI", hint="Give e.g. https://w3id.org/azgraph/graph."
        )
    creds = credentials if credentials is not None else find_credentials(services.query)
    payload, expected = ntriples(files)
    staging = f"{graph}-staging-{hashlib.sha256(payload).hexdigest()[:12]}"
    try:
        _put(services.store, staging, payload, timeout=timeout, credentials=creds)
        staged = count_triples(services.query, staging, timeout=timeout, credentials=creds)
        if staged != expected:
            raise RemoteError(
                f"verification failed: the staging graph <{staging}> holds {staged} triples, "
                f"not {expected}; <{graph}> was left as it was",
                path=services.store,
                hint="Check that the store URL belongs to the same server as the query URL.",
            )
        previous = count_triples(services.query, graph, timeout=timeout, credentials=creds)
        _update(
            services.update, f"MOVE <{staging}> TO <{graph}>", timeout=timeout, credentials=creds
        )
    except AzgraphError as exc:
        problem = _drop(services.update, staging, timeout=min(timeout, 10.0), credentials=creds)
        exc.message = _say_dropped(exc.message, staging, problem)
        raise
    except BaseException:
        _drop(services.update, staging, timeout=min(timeout, 10.0), credentials=creds)
        raise
    published = count_triples(services.query, graph, timeout=timeout, credentials=creds)
    if published != expected:
        raise RemoteError(
            f"after the switch <{graph}> holds {published} triples, not {expected}",
            path=services.query,
            hint="Another client may have written to it; publish again.",
        )
    return PublishReport(graph, staging, expected, previous, services)


def count_triples(
    query_url: str, graph: str, *, timeout: float, credentials: Credentials | None
) -> int:
    """The number of triples in a named graph, by a SPARQL COUNT."""
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = sparql_request(query_url, text, credentials=credentials)
    answer = send(request, timeout=timeout, credentials=credentials)
    result = json_result(answer.body, query_url, "select", None)
    try:
        return int(str(result.rows[0][0]))
    except (IndexError, ValueError) as exc:
        raise RemoteError("the triple count came back empty", path=query_url) from exc


def _put(
    store_url: str, graph: str, payload: bytes, *, timeout: float, credentials: Credentials | None
) -> None:
    separator = "&" if urlsplit(store_url).query else "?"
    url = f"{store_url}{separator}graph={quote(graph, safe='')}"
    headers = {"Content-Type": "application/n-triples", "User-Agent": USER_AGENT}
    if credentials is not None:
        headers["Authorization"] = basic_authorization(credentials)
    answer = http_request("PUT", url, headers=headers, body=payload, timeout=timeout)
    check_status(answer, store_url, credentials=credentials)


def _update(url: str, text: str, *, timeout: float, credentials: Credentials | None) -> None:
    request = sparql_request(url, text, credentials=credentials, update=True)
    send(request, timeout=timeout, credentials=credentials)


def _drop(url: str, graph: str, *, timeout: float, credentials: Credentials | None) -> str | None:
    """Remove a staging graph after a failure; None if it is gone, else what went wrong.

    A failure here must not hide the first one, so it is returned, not raised.
    """
    try:
        _update(url, f"DROP SILENT GRAPH <{graph}>", timeout=timeout, credentials=credentials)
    except AzgraphError as exc:
        return exc.message
    except Exception as exc:  # noqa: BLE001
        return repr(exc)
    return None


def _say_dropped(message: str, staging: str, problem: str | None) -> str:
    if problem is None:
        return f"{message.rstrip('.')}; the staging graph <{staging}> was dropped"
    return (
        f"{message.rstrip('.')}; the staging graph <{staging}> could not be dropped ({problem}): "
        f"remove it with DROP GRAPH <{staging}>"
    )
