"""The messages of the fast SHACL engine, printed exactly as pySHACL prints them.

Why a module of its own: both engines must print the same report (tests/check/test_fastshacl.py
compares them), so every node is shown with pySHACL's own `stringify_node`. Importing pySHACL
costs 0.4 s of a 1 s validation, and a conforming graph needs no message at all, so messages
are made when first needed (`later`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from azgraph.rdf.namespaces import new_graph


def or_message(shapes: Graph, or_list: Node) -> Callable[[Any, Any], str]:
    text = later(lambda: " , ".join(shape_text(shapes, m) for m in shapes.items(or_list)))
    return lambda focus, value: (
        f"Node {data_text(value)} must conform to one or more shapes in {text(focus, value)}"
    )


def shape_text(shapes: Graph, node: Node) -> str:
    from pyshacl.rdfutil import stringify_node  # type: ignore[attr-defined]

    return str(stringify_node(shapes, node))


_DATA_NAMESPACES: Graph | None = None


def use_data_prefixes(prefixes: Iterable[tuple[str, Any]]) -> None:
    """Print data nodes with these prefixes (the data's, then the shapes'), as pySHACL does."""
    global _DATA_NAMESPACES
    _DATA_NAMESPACES = new_graph()
    for prefix, namespace in prefixes:
        _DATA_NAMESPACES.bind(prefix, namespace, override=False)


def data_text(node: Node | None) -> str:
    """pySHACL's rendering of a data node (prefixed names from the project prefixes)."""
    global _DATA_NAMESPACES
    from pyshacl.rdfutil import stringify_node  # type: ignore[attr-defined]

    if _DATA_NAMESPACES is None:
        _DATA_NAMESPACES = new_graph()
    return str(stringify_node(_DATA_NAMESPACES, node))  # type: ignore[arg-type]


def const(text: str) -> Callable[[Any, Any], str]:
    return lambda focus, value: text


def later(make: Callable[[], str]) -> Callable[[Any, Any], str]:
    """A constant message made when first needed, not at compile time.

    Why: printing shape nodes as pySHACL does (`shape_text`) imports pySHACL, 0.4 s of a 1 s
    validation, and a graph that conforms needs no message at all.
    """
    made: list[str] = []

    def message(focus: Any, value: Any) -> str:
        if not made:
            made.append(make())
        return made[0]

    return message


def shown(shapes: Graph, template: str, *nodes: Node) -> Callable[[Any, Any], str]:
    """``template`` with each node printed as pySHACL prints it, made when first needed."""
    return later(lambda: template.format(*(shape_text(shapes, n) for n in nodes)))


def shown_list(shapes: Graph, template: str, nodes: set[Node]) -> Callable[[Any, Any], str]:
    """``template`` with a set of nodes printed as pySHACL prints the list of an sh:in."""
    return later(lambda: template.format(str([shape_text(shapes, n) for n in nodes])))


def focus_message(template: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
    return lambda focus, value: template(focus, value).format(data_text(focus))


def value_message(template: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
    return lambda focus, value: template(focus, value).format(data_text(value))
