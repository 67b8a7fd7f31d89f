"""The local half of `azgraph query run`: the answer on the project's graph, rendered.

Shared by the click command (`cli.query_run`) and the click-free entry point (`entry.py`), so
both print the same bytes. pyoxigraph terms end to end, so rdflib is never imported; the query's
prepared text is left in the cache (`paths.prepared_key`) for the fast lane to run next time.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from azgraph.project import Project
    from azgraph.query.queries import QueryFile


def answer_locally(
    project: Project,
    query: QueryFile,
    given: dict[str, str],
    *,
    fmt: str,
    limit: int,
    timeout: float,
) -> str:
    """The local half of `query run`, shared by this lane and `cli.query_run`: the answer on
    the project's graph, rendered. pyoxigraph terms end to end, so rdflib is never imported.

    It leaves the query's prepared text in the cache, for `fastlane.answer` to run next time.
    """
    from azgraph.cache import write_entry
    from azgraph.paths import encode_prepared, prepared_key
    from azgraph.query.params import bind_params
    from azgraph.query.queries import prepare_query, run_prepared
    from azgraph.query.render import render_result
    from azgraph.rdf.store import graph_files, query_store

    store = query_store(graph_files(project))
    bindings = bind_params(query, given, terms="oxigraph")
    text, form = prepare_query(query, bindings)
    write_entry("prepared", prepared_key(query.text, given), encode_prepared(form, text))
    started = time.monotonic()
    result = run_prepared(store, query, text, form, limit=limit, terms="oxigraph", timeout=timeout)
    if form != "construct":
        return render_result(result, fmt)
    # CONSTRUCT prints canonical Turtle, whose blank-node labelling can take far longer than
    # the query (minutes for ten thousand blank nodes): --timeout bounds both.
    from azgraph.deadline import DeadlineError, run_with_deadline
    from azgraph.query.queries import timeout_error

    left = max(timeout - (time.monotonic() - started), 0.1)
    try:
        return run_with_deadline(lambda: render_result(result, fmt), left)
    except DeadlineError:
        raise timeout_error(timeout, query.path or query.name) from None
