"""Draw docs/architecture.svg from the code: stage packages as boxes, imports as arrows.

The picture is made from the imports themselves (grimp, the import graph behind import-linter,
type-only imports left out), so it cannot drift from the code: docs/architecture.dot is the
graph as text and the test suite checks that it is current; Graphviz `dot` renders the SVG.

    python scripts/architecture_graph.py           # rewrite docs/architecture.{dot,svg}
    python scripts/architecture_graph.py --check   # exit 1 if the .dot is out of date
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent
DOT = REPO / "docs" / "architecture.dot"
SVG = REPO / "docs" / "architecture.svg"
# Top to bottom, as the import contract in pyproject.toml orders them.
STAGES = ("cli", "publish", "owl", "check", "query", "build", "rdf")
LEAVES = ("azgraph.entry", "azgraph.query.fastlane")  # the cold query lane


def stage_of(module: str) -> str:
    if module in LEAVES:
        return "leaves"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else "base"


def dot_source() -> str:
    graph = grimp.build_graph(
        "azgraph", include_external_packages=False, exclude_type_checking_imports=True
    )
    packages = {f"azgraph.{stage}" for stage in STAGES} | {"azgraph", "azgraph.cli.commands"}
    modules = sorted(m for m in graph.modules if m not in packages and not m.endswith("__main__"))
    edges: Counter[tuple[str, str]] = Counter()
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = stage_of(module), stage_of(imported)
            if a != b and imported not in packages:  # a package itself: __version__, commands
                edges[(a, b)] += 1
    lines = [
        "digraph azgraph {",
        '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.3, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555", fontname="Helvetica", fontsize=9];',
    ]
    for stage in (*STAGES, "base"):
        prefix = "azgraph." if stage == "base" else f"azgraph.{stage}."
        members = [m.removeprefix(prefix) for m in modules if stage_of(m) == stage]
        label = f"{stage}/" if stage != "base" else "base modules"
        rows = "\\l".join(", ".join(members[i : i + 4]) for i in range(0, len(members), 4))
        lines.append(f'  "{stage}" [label="{label}\\n{rows}\\l", fillcolor="#eef3fb"];')
    lines.append(
        '  "leaves" [label="cold query lane (leaf)\\nentry, query.fastlane\\l", '
        'fillcolor="#fbf3e6"];'
    )
    for (a, b), count in sorted(edges.items()):
        lines.append(f'  "{a}" -> "{b}" [label="{count}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = dot_source()
    if "--check" in argv:
        if not DOT.is_file() or DOT.read_text(encoding="utf-8") != text:
            print(f"{DOT}: stale; run python scripts/architecture_graph.py", file=sys.stderr)
            return 1
        return 0
    DOT.write_text(text, encoding="utf-8")
    svg = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, check=True)
    SVG.write_text(svg.stdout, encoding="utf-8")
    print(f"wrote {DOT.relative_to(REPO)} and {SVG.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
