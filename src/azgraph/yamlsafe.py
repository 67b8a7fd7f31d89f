"""Strict YAML reading for hand-edited files.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, turns ``NO`` into
``False`` and ``012`` into an octal number, and reports no line numbers to our callers. Here every
scalar stays a string (the build converts it by the declared range of its property), any explicit
tag is refused, a duplicate key is an error naming both lines, and every mapping and list
remembers the line it starts on.

Every string comes back in Unicode normal form C, so that "Gül" typed as U+00FC and as
"u" + U+0308 is one name; quotes still match their seeds, which `seeds.Seed` compares in NFC.

Aliases (``*name``) are refused too. The composer hands us one node per anchor however often it
is aliased, so a few hundred bytes of nested aliases (``&b [*a, *a, …]`` nine levels deep) would
expand to billions of values here; no size or depth cap bounds that, but refusing the second
visit of any node does, and none of our files has a reason to repeat a value by reference.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from azgraph.errors import InputError, one_line

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
MAX_YAML_BYTES = 5_000_000
# libyaml's parser when PyYAML was built with it (its wheels are): the same nodes and marks,
# about ten times faster than the pure-Python one on our curated files.
_BASE = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_DEFAULT_TAGS = {
    yaml.ScalarNode: "tag:yaml.org,2002:str",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """The base loader, minus the per-node call into PyYAML's resolver.

    BaseResolver has no implicit resolvers, so it gives every untagged node its kind's default
    tag; answering that from a table here saves a fifth of the parse time. Explicit tags are
    not resolved (the parser keeps them), so `_convert` still refuses them.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]


_LOADER = _Loader
MAX_DEPTH = 20


class YMap(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YList(list[Any]):
    """A list that knows the line it starts on (1-based)."""

    line: int = 0


def load_yaml(path: Path) -> Any:
    """Parse one YAML document from ``path`` under the rules above."""
    from azgraph.inputs import read_limited

    raw = read_limited(path, MAX_YAML_BYTES)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 at byte offset {exc.start}",
            path=path,
            line=line,
            hint="Save the file as UTF-8.",
        ) from exc
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path | str = "<string>") -> Any:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(
            f"malformed YAML: {exc.problem or exc.context}",
            path=path,
            line=line,
            hint="Fix the YAML syntax (indentation, quoting, colons).",
        ) from exc
    except yaml.reader.ReaderError as exc:
        raise InputError(
            f"character U+{exc.character:04X} is not allowed in YAML",
            path=path,
            line=text.count("\n", 0, exc.position) + 1,
            hint="Remove it or write it as an escape in a double-quoted string.",
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {one_line(str(exc))}", path=path) from exc
    if node is None:
        return None
    return _convert(node, path, 0, set())


def _convert(node: yaml.Node, path: Path | str, depth: int, seen: set[int]) -> Any:
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise InputError(f"nesting deeper than {MAX_DEPTH} levels", path=path, line=line)
    if id(node) in seen:
        raise InputError(
            f"a YAML alias repeats the value anchored at line {line}",
            path=path,
            line=line,
            hint="Write the value out in full; anchors (&name) and aliases (*name) "
            "are not allowed.",
        )
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        raise InputError(
            f"explicit YAML tag '{node.tag}' is not allowed",
            path=path,
            line=line,
            hint="Remove the tag; write plain values (quote them if they look like numbers).",
        )
    if isinstance(node, yaml.ScalarNode):
        return _nfc(node.value)
    if isinstance(node, yaml.SequenceNode):
        items = YList(_convert(child, path, depth + 1, seen) for child in node.value)
        items.line = line
        return items
    if isinstance(node, yaml.MappingNode):
        result = YMap()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise InputError(
                    "mapping keys must be plain strings",
                    path=path,
                    line=key_node.start_mark.line + 1,
                )
            key = _nfc(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key == "<<":
                raise InputError("YAML merge keys (<<) are not allowed", path=path, line=key_line)
            if key in result:
                raise InputError(
                    f"duplicate key '{key}' (first at line {result.key_lines[key]})",
                    path=path,
                    line=key_line,
                    hint="Remove or rename one of them.",
                )
            result.key_lines[key] = key_line
            result[key] = _convert(value_node, path, depth + 1, seen)
        return result
    raise InputError(f"unsupported YAML node {type(node).__name__}", path=path, line=line)


def _nfc(text: str) -> str:
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
