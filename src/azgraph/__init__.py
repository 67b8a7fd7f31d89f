"""azgraph: an evidence-grounded knowledge graph of Turkish-Azerbaijani relations.

The library API is usable without the CLI: `build_graphs`, `validate_graph` and `run_query` take
paths or graphs and return plain dataclasses.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("azgraph")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
