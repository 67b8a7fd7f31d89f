"""The console-script entry point, with a fast lane for the command users repeat most.

Why: `azgraph query run NAME` is typed dozens of times while exploring, and importing click and
registering every command costs a cold process about 65 ms of a 100 ms budget. When the
arguments are only the plain options of `query run` (a name or .rq file, --format, --param,
--limit, --timeout, --project), this module answers without click: from the caches alone when
an earlier run filled them (fastlane.py, which imports almost nothing), else by the same library
calls as `cli.query_run`. Anything else (help, -e, --endpoint, an option it does not know, a
malformed value) goes to click unchanged, so usage errors and help read exactly as before;
tests/test_entry.py checks that every lane prints the same bytes.
"""

from __future__ import annotations

import os
import sys

from azgraph.query.runoptions import (
    DEFAULT_FORMAT,
    DEFAULT_LIMIT,
    DEFAULT_TIMEOUT,
    FORMATS,
    MIN_LIMIT,
    MIN_TIMEOUT,
    QUICK,
)

TYPE_CHECKING = False  # typing costs a cold `query run` about 8 ms


def parse_quick(argv: list[str]) -> dict[str, object] | None:
    """The options of a plain `query run NAME ...`, or None when click should handle argv."""
    if argv[:2] != ["query", "run"]:
        return None
    opts: dict[str, object] = {
        "name": None,
        "format": DEFAULT_FORMAT,
        "given": {},  # --param NAME=VALUE, the last value of a name winning, as in cli.py
        "limit": DEFAULT_LIMIT,
        "timeout": DEFAULT_TIMEOUT,
        "project": None,
    }
    rest = argv[2:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg.startswith("-"):
            key, eq, value = arg.partition("=")
            if key not in QUICK or (eq and not key.startswith("--")):
                return None
            if not eq:
                i += 1
                if i >= len(rest):
                    return None
                value = rest[i]
            if not _take(opts, QUICK[key], value):
                return None
        elif opts["name"] is None:
            opts["name"] = arg
        else:
            return None
        i += 1
    return opts if opts["name"] is not None else None


def _take(opts: dict[str, object], field: str, value: str) -> bool:
    """Store one option value; False when it is not one click would accept as it is."""
    if field == "format":
        if value not in FORMATS:
            return False
        opts["format"] = value
    elif field == "param":
        key, sep, given = value.partition("=")
        if not sep or not key:
            return False
        opts["given"][key] = given  # type: ignore[index]
    elif field == "limit":
        if not value.isdigit() or int(value) < MIN_LIMIT:
            return False
        opts["limit"] = int(value)
    elif field == "timeout":
        try:
            seconds = float(value)
        except ValueError:
            return False
        if not seconds >= MIN_TIMEOUT or seconds == float("inf"):
            return False
        opts["timeout"] = seconds
    else:
        if os.path.isfile(value):
            return False  # click's own message ("is a file") is the one to show
        opts["project"] = value
    return True


def run_quick(opts: dict[str, object]) -> int:
    """Run a parsed `query run` as `cli.query_run` does; errors print as the CLI prints them."""
    from azgraph.query.fastlane import answer

    try:
        text = answer(opts)
        if text is None:
            text = _answer_fully(opts)
    except Exception as exc:
        from azgraph.errors import AzgraphError  # only now: it imports enum and pathlib

        if not isinstance(exc, AzgraphError):
            raise
        sys.stderr.write(f"error: {exc}\n")
        return int(exc.exit_code)
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0


def _answer_fully(opts: dict[str, object]) -> str:
    """The answer when the caches cannot give it: find, parse, load, and fill the caches."""
    from pathlib import Path

    from azgraph.project import Project
    from azgraph.query.queries import find_query
    from azgraph.query.queryrun import answer_locally

    project_dir = opts["project"]
    project = Project.at(Path(str(project_dir))) if project_dir is not None else Project.discover()
    q = find_query(project.queries_dir, str(opts["name"]))
    return answer_locally(
        project,
        q,
        opts["given"],  # type: ignore[arg-type]
        fmt=str(opts["format"]),
        limit=int(opts["limit"]),  # type: ignore[call-overload]
        timeout=float(opts["timeout"]),  # type: ignore[arg-type]
    )


def main() -> None:
    """Console-script entry point: the fast lane when it applies, else the click CLI."""
    opts = parse_quick(sys.argv[1:])
    if opts is not None:
        try:
            code = run_quick(opts)
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted; files being written were left as they were.\n")
            code = 130
        sys.exit(code)
    from azgraph.cli.main import main as cli_main

    cli_main()
