"""``python -m azgraph`` runs the CLI."""

from .cli import main

main()
