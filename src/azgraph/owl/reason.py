"""Reasoning with HermiT and Pellet, the reasoners Protégé offers, through owlready2.

owlready2 0.49 bundles both (0.50/0.51 bundle a Pellet that needs Java newer than 17). The
ontology and data are merged into one N-Triples file in a temporary folder, without
``owl:imports`` (owlready2 would otherwise look imports up on the web), and loaded into a fresh
owlready2 world; each reasoner then reports consistency and the unsatisfiable classes.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib.namespace import OWL, RDF, RDFS

from azgraph.errors import AzgraphError, ExitCode
from azgraph.rdf.store import load_rdflib

REASONERS = ("hermit", "pellet")


class ReasonerError(AzgraphError):
    """A reasoner could not run (no Java, a crash, an unsupported construct)."""

    exit_code = ExitCode.INPUT


@dataclass(frozen=True)
class ReasonerResult:
    """One reasoner's verdict."""

    reasoner: str
    consistent: bool
    unsatisfiable: tuple[str, ...]  # class IRIs equivalent to owl:Nothing
    explanation: str = ""  # the reasoner's own words when inconsistent

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def merged_ntriples(files: list[Path], target: Path, *, plain_literal: bool = False) -> Path:
    """Ontology + data as one N-Triples file without owl:imports.

    ``plain_literal`` rewrites ``rdfs:range rdf:langString`` as ``rdf:PlainLiteral``, OWL 2's
    name for language-tagged strings: Pellet 2.3.1 predates RDF 1.1, takes the unknown
    ``rdf:langString`` for a class and then reads the property as an object property.
    """
    graph = load_rdflib(files)
    graph.remove((None, OWL.imports, None))
    if plain_literal:
        for prop in list(graph.subjects(RDFS.range, RDF.langString)):
            graph.remove((prop, RDFS.range, RDF.langString))
            graph.add((prop, RDFS.range, RDF.PlainLiteral))
    graph.serialize(destination=str(target), format="nt", encoding="utf-8")
    return target


def reason(files: list[Path], reasoners: tuple[str, ...] = REASONERS) -> list[ReasonerResult]:
    """Run each reasoner on the merged ``files``; a fresh owlready2 world for each."""
    unknown = [r for r in reasoners if r not in REASONERS]
    if unknown:
        raise ReasonerError(f"unknown reasoner '{unknown[0]}'", hint="Use hermit or pellet.")
    with tempfile.TemporaryDirectory(prefix="azgraph-reason-") as tmp:
        results = []
        for name in reasoners:
            merged = Path(tmp) / f"{name}.nt"
            merged_ntriples(files, merged, plain_literal=name == "pellet")
            results.append(_run(name, merged))
        return results


def _run(name: str, merged: Path) -> ReasonerResult:
    import owlready2  # type: ignore[import-untyped]

    world = owlready2.World()
    with merged.open("rb") as handle:
        world.get_ontology("https://w3id.org/azgraph/reasoning/").load(
            fileobj=handle, format="ntriples"
        )
    sync = owlready2.sync_reasoner_hermit if name == "hermit" else owlready2.sync_reasoner_pellet
    chatter = io.StringIO()
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
            sync(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return ReasonerResult(name, False, (), _first_lines(str(exc) or chatter.getvalue()))
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerError(
            f"{name} failed: {_first_lines(str(exc), 3)}",
            hint="Check that Java 17 is installed (apt-get install default-jdk-headless).",
        ) from exc
    unsat = tuple(sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing))
    world.close()
    return ReasonerResult(name, True, unsat)


def _first_lines(text: str, count: int = 5) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " | ".join(lines[:count])
