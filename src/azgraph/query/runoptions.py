"""The options of `azgraph query run`, defined once for both of its parsers.

Why plain data: the click command (cli/commands/query.py) and the click-free cold lane
(entry.py) must accept the same spellings, formats, defaults and limits, and the cold lane
cannot import click. Both read them from here; tests/test_entry.py checks that every option of
the click command is either understood by the cold lane or left to click on purpose.
"""

from __future__ import annotations

FORMATS = ("table", "csv", "tsv", "json")
DEFAULT_FORMAT = "table"
DEFAULT_LIMIT = 10_000
MIN_LIMIT = 1
DEFAULT_TIMEOUT = 30.0
MIN_TIMEOUT = 0.1

# Each option's spellings, by the field both parsers store it in.
FLAGS = {
    "param": ("-p", "--param"),
    "format": ("-f", "--format"),
    "limit": ("--limit",),
    "timeout": ("--timeout",),
    "project": ("--project",),
    "expression": ("-e", "--expression"),
    "endpoint": ("--endpoint",),
}
# Options the cold lane leaves to click: they need what it cannot afford (rdflib, a network
# client) or are help.
CLICK_ONLY = ("expression", "endpoint", "help")
QUICK = {flag: field for field, flags in FLAGS.items() if field not in CLICK_ONLY for flag in flags}
