"""azgraph: an evidence-grounded knowledge graph of Turkish-Azerbaijani relations.

The library API is usable without the CLI: `build_graphs`, `validate_graph` and `run_query` take
paths or graphs and return plain dataclasses.
"""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use.

    Lazy because importlib.metadata costs tens of milliseconds, and `azgraph query run` should
    start in well under a tenth of a second.
    """
    if name != "__version__":
        raise AttributeError(f"module 'azgraph' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("azgraph")
    except PackageNotFoundError:  # running from a source tree without installation
        value = "0+unknown"
    globals()["__version__"] = value
    return value
