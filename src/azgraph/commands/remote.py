"""Commands for SPARQL servers: `azgraph serve` (a local Oxigraph) and `azgraph publish`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..project import Project


def register(group: click.Group) -> None:
    from ..cli import project_option

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
    help="Also accept SPARQL updates and Graph Store writes (to the temporary copy only).",
)
def serve(project: Project, host: str, port: int, writable: bool) -> None:
    """Serve the graph over SPARQL on HOST:PORT with Oxigraph, until Ctrl-C.

    The ontology and data/*.ttl are loaded into a temporary store, which is removed on exit;
    the server is read-only unless --writable. Open the printed page URL in a browser for
    Oxigraph's query page (it works offline).

    \b
    Example:
        azgraph serve
        azgraph serve --port 8000
        azgraph query run pipelines --endpoint http://127.0.0.1:7878/query
    """
    import signal
    import threading

    from ..errors import RemoteError
    from ..server import start_server
    from ..store import graph_files

    files = graph_files(project)
    server = start_server(files, host=host, port=port, writable=writable)
    if threading.current_thread() is threading.main_thread():
        # Stop cleanly on Ctrl-C or a plain kill, even when started in the background (where
        # the shell ignores SIGINT for us).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    stopped_by_itself = ""
    try:
        click.echo(f"SPARQL query endpoint: {server.query_url}")
        if writable:
            click.echo(f"SPARQL update endpoint: {server.update_url}")
            click.echo(f"Graph Store endpoint: {server.store_url}")
        click.echo(f"Query page (browser): {server.base_url}/")
        mode = "read-write (a temporary copy)" if writable else "read-only"
        click.echo(f"Serving {len(files)} files, {mode}, from {server.folder}.")
        click.echo("Press Ctrl-C to stop.")
        server.process.wait()
        stopped_by_itself = server.last_message()
    except KeyboardInterrupt:
        click.echo("Stopping the server.")
    finally:
        code = server.stop()
    if stopped_by_itself:
        raise RemoteError(
            f"the oxigraph server stopped by itself (exit code {code}): {stopped_by_itself}",
            path=server.base_url,
        )
    click.echo("Stopped; the temporary store was removed.")


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
    from ..publish import publish_graph, services_for
    from ..store import graph_files

    services = services_for(endpoint, update_endpoint, store_endpoint)
    report = publish_graph(graph_files(project), services, graph, timeout=timeout)
    click.echo(f"uploaded {report.triples} triples to <{report.staging}> ({services.store})")
    click.echo(f"verified: the staging graph holds {report.triples} triples")
    click.echo(
        f"published <{report.graph}>: {report.triples} triples (was {report.previous}) "
        f"on {services.query}"
    )
