"""The entities all curated files declare, merged into one table and checked against the ontology.

A class's instances have ids of one kind (``state:``, ``person:``); the few classes whose kind is
not their own name in lower case are listed here.
"""

from __future__ import annotations

from azgraph.build.curated import Curated, Entity
from azgraph.build.vocab import Vocabulary
from azgraph.errors import CurationError

KIND_OF_CLASS = {
    "Organization": "org",
    "PoliticalParty": "org",
    "Recognition": "event",
    "Pipeline": "pipeline",
    "Infrastructure": "infrastructure",
    "SourceDocument": "source",
}
NOT_CURATED = {"Agent", "SourceDocument", "Evidence"}


def merge_entities(curated: list[Curated], vocab: Vocabulary) -> dict[str, Entity]:
    merged: dict[str, Entity] = {}
    for cur in curated:
        for ent in cur.entities.values():
            if ent.type not in vocab.classes or ent.type in NOT_CURATED:
                allowed = sorted(set(vocab.classes) - NOT_CURATED)
                raise CurationError(
                    f"unknown class '{ent.type}' for {ent.id}",
                    path=ent.path,
                    line=ent.yaml_line,
                    hint=f"Use one of: {', '.join(allowed)}.",
                )
            kind = KIND_OF_CLASS.get(ent.type, ent.type.lower())
            if not ent.id.startswith(f"{kind}:"):
                raise CurationError(
                    f"{ent.id} is a {ent.type}, so its id must start with '{kind}:'",
                    path=ent.path,
                    line=ent.yaml_line,
                )
            first = merged.get(ent.id)
            if first is None:
                merged[ent.id] = ent
            elif (first.type, first.label) != (ent.type, ent.label):
                raise CurationError(
                    f"{ent.id} is declared differently in {first.path.name}:{first.yaml_line} "
                    f"({first.type}, '{first.label}')",
                    path=ent.path,
                    line=ent.yaml_line,
                    hint="Give the same type and label in every file that declares it.",
                )
    return merged
