"""Command modules beyond the core ones in cli.py, one module per area (remote, export, ...).

Each module defines ``register(group)``, which adds its click commands to the top-level group.
Modules are found by name, in sorted order, so adding an area needs no edit to cli.py. A module
must import only click at import time; heavy libraries are imported inside the commands, to
keep ``azgraph --help`` and ``azgraph query run`` fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


def register_all(group: click.Group) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(group)
