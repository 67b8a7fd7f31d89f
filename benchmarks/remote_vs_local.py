"""Bundled queries, local vs. remote: the median of N runs of each, in milliseconds.

    .venv/bin/python benchmarks/remote_vs_local.py [--runs 5] [--project DIR]

Three columns: ``local`` is `run_local` on the in-memory pyoxigraph store (the store is loaded
once, outside the timing); ``served`` is `run_remote` against `azgraph serve`'s server (the graph
in the default graph); ``published`` is `run_remote` against an Oxigraph server that received the
graph through `azgraph publish` as a named graph and answers with ``--union-default-graph``.
Remote times include the HTTP round trip on 127.0.0.1 and parsing the JSON results. Figures go
to stdout only; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from azgraph.project import Project
from azgraph.publish.server import free_port, oxigraph_binary, start_server
from azgraph.publish.upload import publish_graph, services_for
from azgraph.query.endpoint import run_remote
from azgraph.query.queries import bind_params, load_queries, run_local
from azgraph.rdf.store import graph_files, load_oxigraph

GRAPH = "https://w3id.org/azgraph/graph"


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm up: first-use costs are not what we compare
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def start_empty_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [str(oxigraph_binary()), "serve", "--location", str(folder / "store")]
        + ["--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).close()
            return process, url
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    process.kill()
    raise SystemExit("oxigraph serve did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, default=None)
    args = parser.parse_args()
    project = Project.at(args.project) if args.project else Project.discover()
    files = graph_files(project)
    queries = load_queries(project.queries_dir)
    store = load_oxigraph(files)

    served = start_server(files, port=0)
    with tempfile.TemporaryDirectory(prefix="azgraph-bench-") as tmp:
        process, published_url = start_empty_server(Path(tmp))
        try:
            start = time.perf_counter()
            report = publish_graph(files, services_for(published_url), GRAPH, timeout=300)
            publish_s = time.perf_counter() - start
            print(f"published {report.triples} triples to {published_url} in {publish_s:.1f} s")
            print(f"median of {args.runs} runs per query (ms), after one warm-up run")
            print(f"{'query':<32} {'local':>8} {'served':>8} {'published':>10}")
            totals = [0.0, 0.0, 0.0]
            for name, query in queries.items():
                bindings = bind_params(query, {})
                row = [
                    median_ms(functools.partial(run_local, store, query, bindings), args.runs),
                    median_ms(
                        functools.partial(
                            run_remote, served.query_url, query, bindings, timeout=300
                        ),
                        args.runs,
                    ),
                    median_ms(
                        functools.partial(run_remote, published_url, query, bindings, timeout=300),
                        args.runs,
                    ),
                ]
                totals = [t + r for t, r in zip(totals, row, strict=True)]
                print(f"{name:<32} {row[0]:>8.1f} {row[1]:>8.1f} {row[2]:>10.1f}")
            print(f"{'total':<32} {totals[0]:>8.1f} {totals[1]:>8.1f} {totals[2]:>10.1f}")
        finally:
            process.terminate()
            process.wait(10)
            served.stop()


if __name__ == "__main__":
    main()
