"""Commands for SPARQL servers: `azgraph serve` (a local Oxigraph) and `azgraph publish`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pathlib import Path

    from azgraph.project import Project
    from azgraph.publish.server import Server


def register(group: click.Group) -> None:
    from azgraph.cli.options import project_option

    group.add_command(project_option(serve))
    group.add_command(project_option(publish))


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--writable/--read-only",
    default=False,
    show_default=True,
    help="Also accept SPARQL updates and Graph Store writes (to the in-memory copy only), "
    "from clients that send the token printed at start (or set in AZGRAPH_SERVE_TOKEN).",
)
@click.option(
    "--timeout",
    type=click.IntRange(1, 3600),
    default=30,
    show_default=True,
    help="Stop any one query after this many seconds (HTTP 504).",
)
@click.option(
    "--max-result-mb",
    type=click.IntRange(1, 4096),
    default=64,
    show_default=True,
    help="Refuse answers larger than this many megabytes (HTTP 507).",
)
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 4096),
    default=256,
    show_default=True,
    help="Refuse Graph Store uploads larger than this many megabytes (HTTP 413; --writable).",
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Open client connections at most; more wait until one closes.",
)
@click.option(
    "--client-timeout",
    type=click.IntRange(1, 3600),
    default=30,
    show_default=True,
    help="Close a client connection idle for this many seconds (slow or stalled clients).",
)
def serve(
    project: Project,
    host: str,
    port: int,
    writable: bool,
    timeout: int,
    max_result_mb: int,
    max_upload_mb: int,
    max_connections: int,
    client_timeout: int,
) -> None:
    """Serve the graph over SPARQL on HOST:PORT, until Ctrl-C.

    The ontology and data/*.ttl are loaded into an in-memory Oxigraph on a private port; a
    front on HOST:PORT checks each request before Oxigraph sees it: queries go through the
    same checks as 'azgraph query run' (SERVICE, FROM, updates and too-deep queries refused),
    each query and answer is bounded, and slow clients are dropped. Read-only unless
    --writable; writes then need the printed token and are refused from other web origins.
    Open the printed page URL in a browser for the query page: the bundled queries with
    their parameters, results linked to the pages of dist/release/site when a release was
    made (the page asks for nothing but this server).

    \b
    Example:
        azgraph serve
        azgraph serve --port 8000 --timeout 10
        azgraph query run pipelines --endpoint http://127.0.0.1:7878/query
    """
    import threading

    from azgraph.publish.server import start_server, write_token
    from azgraph.publish.serverproxy import Limits
    from azgraph.query.queries import load_queries
    from azgraph.rdf.store import graph_files

    files = graph_files(project)
    token, from_env = write_token() if writable else (None, False)
    limits = Limits(
        timeout=timeout, max_result_bytes=max_result_mb << 20, max_upload_bytes=max_upload_mb << 20
    )
    if threading.current_thread() is threading.main_thread():
        _stop_on_signals()
    server = start_server(
        files,
        host=host,
        port=port,
        token=token,
        limits=limits,
        max_connections=max_connections,
        client_timeout=client_timeout,
        queries=load_queries(project.queries_dir),
        site=_release_site(project),
    )
    _run_until_stopped(server, len(files), from_env, (max_connections, client_timeout))


def _release_site(project: Project) -> Path | None:
    """The site of the last `azgraph release` into dist/release, if there is one: the query
    page links result IRIs to its entity pages."""
    site = project.dist_dir / "release" / "site"
    return site if (site / "index.html").is_file() else None


def _stop_on_signals() -> None:
    """Ctrl-C, a plain kill and a closed terminal all stop the server through the same path,
    even when it runs in the background (where the shell ignores SIGINT for us)."""
    import signal

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.default_int_handler)


def _run_until_stopped(
    server: Server, files: int, from_env: bool, clients: tuple[int, int]
) -> None:
    from azgraph.errors import RemoteError

    died: int | None = None
    try:
        _print_banner(server, files, from_env, clients)
        died = server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        message = server.engine.last_message() if died is not None else ""
        server.stop()
    if died is not None:
        how = f"killed by signal {-died}" if died < 0 else f"exit code {died}"
        raise RemoteError(
            f"the oxigraph engine stopped by itself ({how}); its last message: {message}",
            path=server.base_url,
            hint="Start azgraph serve again.",
        )
    click.echo("Stopped; the in-memory store is gone.")


def _print_banner(server: Server, files: int, from_env: bool, clients: tuple[int, int]) -> None:
    limits = server.limits
    click.echo(f"SPARQL query endpoint: {server.query_url}")
    if server.writable:
        click.echo(f"SPARQL update endpoint: {server.update_url}")
        click.echo(f"Graph Store endpoint: {server.store_url}")
    click.echo(f"Query page (browser): {server.base_url}/")
    mode = "read-write for token holders" if server.writable else "read-only"
    click.echo(f"Serving {files} files, {mode}, from memory (nothing is written to disk).")
    click.echo(
        f"Limits: {limits.timeout} s per query, {limits.max_result_bytes >> 20} MB per answer, "
        f"{clients[0]} connections, idle clients closed after {clients[1]} s; "
        "SERVICE, FROM and LOAD refused."
    )
    if server.token is not None:
        shown = "(from AZGRAPH_SERVE_TOKEN)" if from_env else server.token
        click.echo(f"Write token: {shown}")
        click.echo("  Send it as 'Authorization: Bearer TOKEN', or as the password of HTTP Basic.")
        click.echo(
            "  To publish: AZGRAPH_ENDPOINT_USER=azgraph AZGRAPH_ENDPOINT_PASSWORD=TOKEN "
            f"azgraph publish --endpoint {server.query_url} --graph IRI"
        )
    click.echo("Press Ctrl-C to stop.", nl=True)


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="The server's SPARQL query URL.")
@click.option("--graph", "graph", required=True, metavar="IRI", help="The named graph to publish.")
@click.option(
    "--update-endpoint",
    metavar="URL",
    default=None,
    help="SPARQL Update URL.  [default: the query URL with /query -> /update]",
)
@click.option(
    "--store-endpoint",
    metavar="URL",
    default=None,
    help="Graph Store Protocol URL.  [default: the query URL with /query -> /store (Oxigraph)]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Give up on any one request after this many seconds in all (exit 4).",
)
def publish(
    project: Project,
    endpoint: str,
    graph: str,
    update_endpoint: str | None,
    store_endpoint: str | None,
    timeout: float,
) -> None:
    """Upload the graph to a SPARQL server as the named graph IRI, safely.

    The ontology and data/*.ttl go up as N-Triples (Graph Store Protocol PUT) to a staging graph
    <IRI>-staging-<sha>; its triple count is checked; then one SPARQL Update moves it onto IRI.
    If the upload or the check fails, the graph published before is left untouched (exit 4).
    Credentials come from AZGRAPH_ENDPOINT_USER/AZGRAPH_ENDPOINT_PASSWORD or ~/.netrc.

    \b
    Example:
        azgraph serve --writable &
        azgraph publish --endpoint http://127.0.0.1:7878/query --graph https://w3id.org/azgraph/graph
    """
    from azgraph.publish.upload import publish_graph, services_for
    from azgraph.rdf.store import graph_files

    services = services_for(endpoint, update_endpoint, store_endpoint)
    report = publish_graph(graph_files(project), services, graph, timeout=timeout)
    click.echo(f"uploaded {report.triples} triples to <{report.staging}> ({services.store})")
    click.echo(f"verified: the staging graph holds {report.triples} triples")
    click.echo(
        f"published <{report.graph}>: {report.triples} triples (was {report.previous}) "
        f"on {services.query}"
    )
