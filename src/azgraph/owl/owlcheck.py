"""OWL 2 DL profile check with the OWL API, the library Protégé is built on.

``owlcheck/DlCheck.java`` is compiled once per source version against Debian's ``libowlapi-java``
jars into a cache folder (``$XDG_CACHE_HOME/azgraph/owlcheck``), then run on the Protégé bundle
(`protege.write_bundle`), so the check sees exactly what Protégé opens. Imports resolve only
through the bundle's ``catalog-v001.xml``; anything else is reported, never fetched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from azgraph.errors import AzgraphError, ExitCode, InputError
from azgraph.owl.protege import ALL_FILE, CATALOG_FILE, write_bundle

JAVA_DIR = Path("/usr/share/java")
# The OWL API distribution jar and what it needs at run time (Debian package names in brackets):
# guava, caffeine, commons-io/-codec, commons-rdf, hppcrt, jsr305, slf4j (+ nop binding),
# javax.inject, xz, jackson, and rdf4j's model and Turtle parser (librdf4j-java).
JARS = (
    "owlapi-distribution",
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-rdf-api",
    "hppcrt",
    "jsr305",
    "slf4j-api",
    "slf4j-nop",
    "atinject-jsr330-api",
    "xz",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "rdf4j-model-api",
    "rdf4j-model",
    "rdf4j-model-vocabulary",
    "rdf4j-util",
    "rdf4j-rio-api",
    "rdf4j-rio-turtle",
    "rdf4j-rio-datatypes",
    "rdf4j-rio-languages",
)
INSTALL_HINT = "Install Java and the OWL API: apt-get install default-jdk-headless libowlapi-java"
TIMEOUT_S = 600


class OwlToolError(AzgraphError):
    """Java or the OWL API is missing, or the checker could not run."""

    exit_code = ExitCode.INPUT


@dataclass(frozen=True)
class Problem:
    """One finding: a profile violation, a missing import, an unparsed triple, a guess."""

    kind: str  # VIOLATION, MISSING_IMPORT, UNPARSED, GUESSED
    type: str  # e.g. UseOfUndeclaredAnnotationProperty; the IRI for MISSING_IMPORT/GUESSED
    message: str


@dataclass(frozen=True)
class OwlReport:
    """What the OWL API saw: the imports closure, the problems and some counts."""

    ontologies: dict[str, str]  # ontology IRI -> document IRI
    problems: tuple[Problem, ...]
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def violations(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "VIOLATION")


def source_file() -> Path:
    """``owlcheck/DlCheck.java``: beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        candidate = folder / "owlcheck" / "DlCheck.java"
        if candidate.is_file():
            return candidate
    raise OwlToolError("cannot find owlcheck/DlCheck.java", hint="Run from an azgraph checkout.")


def classpath() -> list[Path]:
    jars = [JAVA_DIR / f"{name}.jar" for name in JARS]
    missing = [j.name for j in jars if not j.is_file()]
    if missing:
        raise OwlToolError(f"missing Java libraries: {', '.join(missing)}", hint=INSTALL_HINT)
    return jars


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OwlToolError(f"'{name}' is not installed", hint=INSTALL_HINT)
    return found


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "azgraph" / "owlcheck"


def compiled() -> Path:
    """The folder holding DlCheck.class, compiling it first when the source changed."""
    source = source_file()
    jars = classpath()
    key = hashlib.sha256(source.read_bytes() + ":".join(map(str, jars)).encode()).hexdigest()
    target = cache_dir() / key[:16]
    if (target / "DlCheck.class").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".compile-", dir=target.parent))
    try:
        result = subprocess.run(
            [_tool("javac"), "-d", str(work), "-cp", ":".join(map(str, jars)), str(source)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        if result.returncode != 0:
            first = (result.stderr.strip().splitlines() or ["no message"])[0]
            raise OwlToolError(f"javac failed: {first}", path=source)
        try:
            os.replace(work, target)
        except OSError:  # another process compiled it first
            if not (target / "DlCheck.class").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def run_dlcheck(
    files: Sequence[Path], *, catalogs: Sequence[Path] = (), turtle: bool = False
) -> OwlReport:
    """Run the OWL API checker on local ``files`` (imports resolved only through ``catalogs``).

    ``turtle`` reads the files with the OWL API's own Turtle parser alone: Protégé falls back
    to other parsers when it fails, so a file can open in Protégé yet break other OWL API tools.
    """
    classes = compiled()
    args = [_tool("java"), "-cp", ":".join(map(str, [classes, *classpath()])), "DlCheck"]
    if turtle:
        args.append("--turtle")
    for catalog in catalogs:
        args += ["--catalog", str(catalog)]
    args += [str(f) for f in files]
    try:
        result = subprocess.run(
            args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OwlToolError(f"the OWL API check took longer than {TIMEOUT_S} s") from exc
    return parse_output(result.stdout, result.returncode, result.stderr)


def parse_output(stdout: str, returncode: int, stderr: str = "") -> OwlReport:
    ontologies: dict[str, str] = {}
    problems: list[Problem] = []
    stats: dict[str, int] = {}
    for line in stdout.splitlines():
        kind, _, rest = line.partition("\t")
        fields = rest.split("\t")
        if kind == "ONTOLOGY":
            ontologies[fields[0]] = fields[1] if len(fields) > 1 else ""
        elif kind == "STATS":
            stats = {k: int(v) for k, _, v in (f.partition("=") for f in fields)}
        elif kind == "LOAD_ERROR":
            raise InputError(f"the OWL API cannot load it: {fields[-1][:500]}", path=fields[0])
        elif kind in ("VIOLATION", "MISSING_IMPORT", "GUESSED"):
            problems.append(Problem(kind, fields[0], "\t".join(fields[1:])))
        elif kind == "UNPARSED":
            problems.append(Problem(kind, "UnparsedTriple", rest))
    if not stats:
        detail = (stderr.strip().splitlines() or [f"exit status {returncode}"])[-1]
        raise OwlToolError(f"the OWL API check did not finish: {detail}")
    return OwlReport(ontologies, tuple(problems), stats)


def check_bundle(folder: Path) -> OwlReport:
    """Check an exported Protégé bundle (``azgraph-all.owl`` with its catalog)."""
    for name in (ALL_FILE, CATALOG_FILE):
        if not (folder / name).is_file():
            raise InputError(
                f"no {name} here", path=folder, hint="Run 'azgraph export protege DIR' first."
            )
    return run_dlcheck([folder / ALL_FILE], catalogs=[folder / CATALOG_FILE])


def check_owl(ontology_file: Path, data_files: list[Path]) -> OwlReport:
    """Write the Protégé bundle of ontology + data to a temporary folder and check it."""
    with tempfile.TemporaryDirectory(prefix="azgraph-owlcheck-") as tmp:
        write_bundle(ontology_file, data_files, Path(tmp))
        return check_bundle(Path(tmp))
