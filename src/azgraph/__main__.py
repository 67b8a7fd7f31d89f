"""``python -m azgraph`` runs the CLI (through the same entry point as the console script)."""

from azgraph.entry import main

main()
