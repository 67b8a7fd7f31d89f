"""Reasoning with HermiT and Pellet, the reasoners Protégé offers, through owlready2.

owlready2 0.49 bundles both (0.50/0.51 bundle a Pellet that needs Java newer than 17). The
reasoners read the Protégé bundle exactly as `export protege` writes it: every file the
catalog names is loaded, unmodified, into a fresh owlready2 world, imports first, so that
each ``owl:imports`` is already satisfied and owlready2 never looks one up on the web. A
"consistent" therefore describes the files users open, not a patched copy.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from azgraph.errors import AzgraphError, ExitCode, InputError
from azgraph.owl.protege import ALL_FILE, CATALOG_FILE, write_bundle

REASONERS = ("hermit", "pellet")
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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


@dataclass(frozen=True)
class _Document:
    iri: str
    path: Path
    imports: tuple[str, ...]


def reason(files: list[Path], reasoners: tuple[str, ...] = REASONERS) -> list[ReasonerResult]:
    """Export ontology ``files[0]`` + data ``files[1:]`` as a Protégé bundle to a temporary
    folder and reason on that bundle (`reason_bundle`)."""
    _check_names(reasoners)
    with tempfile.TemporaryDirectory(prefix="azgraph-reason-") as tmp:
        write_bundle(files[0], files[1:], Path(tmp))
        return reason_bundle(Path(tmp), reasoners)


def reason_bundle(folder: Path, reasoners: tuple[str, ...] = REASONERS) -> list[ReasonerResult]:
    """Run each reasoner on the bundle in ``folder`` as written; a fresh world for each."""
    _check_names(reasoners)
    documents = bundle_documents(folder)
    return [_run(name, documents) for name in reasoners]


def _check_names(reasoners: tuple[str, ...]) -> None:
    unknown = [r for r in reasoners if r not in REASONERS]
    if unknown:
        raise ReasonerError(f"unknown reasoner '{unknown[0]}'", hint="Use hermit or pellet.")


def bundle_documents(folder: Path) -> list[_Document]:
    """The bundle's files in load order (each after the files it imports), read through
    ``catalog-v001.xml``; an import the catalog does not map is an error, never fetched."""
    for name in (ALL_FILE, CATALOG_FILE):
        if not (folder / name).is_file():
            raise InputError(
                f"no {name} here", path=folder, hint="Run 'azgraph export protege DIR' first."
            )
    try:
        entries = ET.parse(folder / CATALOG_FILE).getroot().iter()
    except ET.ParseError as exc:
        raise InputError(f"not an XML catalog: {exc}", path=folder / CATALOG_FILE) from exc
    paths = {
        folder / e.attrib["uri"] for e in entries if e.tag.endswith("uri") and "uri" in e.attrib
    }
    documents = {doc.iri: doc for doc in map(_read_header, sorted(paths))}
    ordered: list[_Document] = []
    while len(ordered) < len(documents):
        done = {d.iri for d in ordered}
        ready = [d for d in documents.values() if d.iri not in done and set(d.imports) <= done]
        if not ready:
            waiting = sorted({i for d in documents.values() for i in d.imports} - set(documents))
            raise InputError(
                f"imports {waiting[0] if waiting else 'each other in a cycle'}, which no file "
                "of the catalog holds",
                path=folder / CATALOG_FILE,
                hint="Export the bundle again with 'azgraph export protege DIR'.",
            )
        ordered.extend(ready)
    return ordered


def _read_header(path: Path) -> _Document:
    try:
        with path.open("rb") as handle:
            triples = list(ox.parse(handle, format=ox.RdfFormat.RDF_XML))
    except (OSError, SyntaxError) as exc:
        raise InputError(f"cannot read it as RDF/XML: {exc}", path=path) from exc
    heads = sorted(
        t.subject.value
        for t in triples
        if t.predicate.value == _RDF_TYPE and t.object == ox.NamedNode(f"{_OWL}Ontology")
    )
    if len(heads) != 1:
        raise InputError(f"expected one owl:Ontology header, found {len(heads)}", path=path)
    imports = sorted(
        t.object.value
        for t in triples
        if t.subject.value == heads[0] and t.predicate.value == f"{_OWL}imports"
    )
    return _Document(heads[0], path, tuple(imports))


def _run(name: str, documents: list[_Document]) -> ReasonerResult:
    import owlready2  # type: ignore[import-untyped]

    world = owlready2.World()
    for doc in documents:
        with doc.path.open("rb") as handle:
            world.get_ontology(doc.iri).load(fileobj=handle, format="rdfxml")
    sync = owlready2.sync_reasoner_hermit if name == "hermit" else owlready2.sync_reasoner_pellet
    chatter = io.StringIO()
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
            sync(world, infer_property_values=False, debug=0)
        unsat = (c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        return ReasonerResult(name, True, tuple(sorted(unsat)))
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        return ReasonerResult(name, False, (), _first_lines(str(exc) or chatter.getvalue()))
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerError(
            f"{name} failed: {_first_lines(str(exc), 3)}",
            hint="Check that Java 17 is installed (apt-get install default-jdk-headless).",
        ) from exc
    finally:
        world.close()


def _first_lines(text: str, count: int = 5) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return " | ".join(lines[:count])
