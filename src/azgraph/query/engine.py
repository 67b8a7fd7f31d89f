"""Running a prepared, vetted query text on a pyoxigraph store.

Shared by the library (queries.py) and the cold lane (fastlane.py), and as import-light as the
latter needs: pyoxigraph and the project prefixes only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs a cold process about 8 ms (it imports re)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def execute(
    store: Any, text: str, form: str, limit: int | None, convert: Callable[[Any], Any]
) -> tuple[str, tuple[str, ...], tuple[Any, ...], bool | None, tuple[Any, ...]]:
    """Run prepared ``text`` on ``store``: the fields of a `queries.QueryResult`, in order.

    SyntaxError propagates (queries.py turns it into a located QueryError).
    """
    from azgraph.rdf.prefixes import PREFIXES

    answer = store.query(text, prefixes=PREFIXES)
    if form == "ask":
        return "ask", (), (), bool(answer), ()
    if form == "construct":
        triples = tuple(
            (convert(t.subject), convert(t.predicate), convert(t.object)) for t in answer
        )
        return "construct", (), (), None, triples
    variables = tuple(v.value for v in answer.variables)
    rows = []
    for i, solution in enumerate(answer):
        if limit is not None and i >= limit:
            break
        rows.append(tuple(convert(solution[v]) for v in variables))
    return "select", variables, tuple(rows), None, ()


def same_term(term: Any) -> Any:
    """The ``convert`` of `execute` that keeps pyoxigraph's own terms."""
    return term
