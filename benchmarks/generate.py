"""A deterministic synthetic corpus: the real project's seeds and curated facts, copied N times.

Copy k of seed ``cemeri-2022`` is ``cemeri-2022-x0007``: the same verbatim text (so every quote is
still at its recorded offsets), the same curated facts with every entity and evidence id suffixed
``-x0007``. The copies share the ontology, shapes and queries, so the corpus has N times the real
seeds, entities, facts, axioms and evidence, with the same shape, and a graph N times as large.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from azgraph.rdf.prefixes import INSTANCE_KINDS

_ID = re.compile(
    rf"\b({'|'.join(k for k in INSTANCE_KINDS if k != 'source')}):([a-z0-9][a-z0-9-]*)"
)


def generate(source: Path, out: Path, scale: int) -> Path:
    """Write a project with ``scale`` copies of every seed of ``source`` into ``out``."""
    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(source / folder, out / folder)
    (out / "seeds").mkdir(parents=True)
    (out / "curated").mkdir()
    (out / "data").mkdir()
    seeds = sorted(p.stem for p in (source / "seeds").glob("*.yaml"))
    curated = {p.stem: p.read_text(encoding="utf-8") for p in (source / "curated").glob("*.yaml")}
    for k in range(scale):
        suffix = f"-x{k:04d}"
        for seed in seeds:
            new = seed + suffix
            shutil.copyfile(source / "seeds" / f"{seed}.txt", out / "seeds" / f"{new}.txt")
            meta = (source / "seeds" / f"{seed}.yaml").read_text(encoding="utf-8")
            meta = re.sub(rf"(?m)^id: {re.escape(seed)}$", f"id: {new}", meta)
            meta = re.sub(rf"(?m)^file: {re.escape(seed)}\.txt$", f"file: {new}.txt", meta)
            (out / "seeds" / f"{new}.yaml").write_text(meta, encoding="utf-8")
            if seed in curated:
                text = _rename(curated[seed], seeds, suffix)
                (out / "curated" / f"{new}.yaml").write_text(text, encoding="utf-8")
    return out


def first_copy(curie: str) -> str:
    """The id an entity of the real corpus has in the first copy (``state:turkey`` becomes
    ``state:turkey-x0000``), so that a query's default parameter names something that exists."""
    return _ID.sub(lambda m: f"{m.group(1)}:{m.group(2)}-x0000", curie)


def _rename(text: str, seeds: list[str], suffix: str) -> str:
    """Suffix every entity, evidence, source and seed id, leaving quoted text untouched."""
    lines = []
    seed_re = re.compile(rf"\b({'|'.join(map(re.escape, seeds))})(?=-e\d|\b)")
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("quote:", "#")):
            lines.append(line)
            continue
        line = _ID.sub(lambda m: f"{m.group(1)}:{m.group(2)}{suffix}", line)
        line = seed_re.sub(lambda m: m.group(1) + suffix, line)
        lines.append(line)
    return "".join(lines)
