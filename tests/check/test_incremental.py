"""`azgraph validate --incremental` gives the report a full validation gives, after any edit.

The corpus is the benchmark generator's ×4 copy of the real one (8 seeds), so that one file is a
small share of the graph and the incremental path is really taken (each test checks the note
says so). Edits are real: triples removed from and added to data files, files added and removed,
the ontology changed; every report is compared with a plain `azgraph validate` of the same files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from azgraph.check.sparqldeps import UnboundedError, analyse

ROOT = Path(__file__).resolve().parents[2]
AZGRAPH = [sys.executable, "-m", "azgraph"]
P = "PREFIX : <urn:x:>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
P += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


# -- the dependency analysis ----------------------------------------------------------------


def test_a_not_exists_pattern_walks_back_through_the_outer_patterns() -> None:
    deps = analyse(
        P + "SELECT $this WHERE { $this :p ?x . FILTER NOT EXISTS { ?x :q ?y } }", "this"
    )
    inner = next(d for d in deps if d.predicate == ox.NamedNode("urn:x:q"))
    assert (inner.start, inner.walk) == ("x", "?this <urn:x:p> ?x .")
    outer = next(d for d in deps if d.predicate == ox.NamedNode("urn:x:p"))
    assert (outer.start, outer.walk) == ("this", "")


def test_a_variable_every_union_branch_binds_walks_back_through_the_union() -> None:
    body = "$this :p ?x . { ?x :q ?y } UNION { ?y :r ?x } ?y :s ?z"
    deps = analyse(P + f"SELECT $this WHERE {{ {body} }}", "this")
    start = next(d for d in deps if d.predicate == ox.NamedNode("urn:x:s"))
    assert start.start == "y"
    assert start.walk == "?this <urn:x:p> ?x . { ?x <urn:x:q> ?y . } UNION { ?y <urn:x:r> ?x . }"
    branch = next(d for d in deps if d.predicate == ox.NamedNode("urn:x:r"))
    assert (branch.start, branch.walk) == ("x", "?this <urn:x:p> ?x .")


@pytest.mark.parametrize(
    "body",
    [
        "$this :p ?x . OPTIONAL { ?x :q ?y } FILTER NOT EXISTS { ?y :r ?z }",  # ?y may be unbound
        "$this :p ?x . { ?x :q ?y } UNION { ?x :r ?w } ?y :s ?z",  # one branch leaves ?y unbound
        "$this :p ?x . OPTIONAL { { ?x :q ?y } UNION { ?y :r ?x } } ?y :s ?z",  # may not match
        "$this :p ?x . { ?x :q ?y } UNION { ?y :r ?x FILTER (?y != ?x) } ?y :s ?z",
        "$this :p ?x . ?y :q ?z",  # a pattern not tied to the focus
        "$this :p ?x . { SELECT ?x WHERE { ?x :q ?y } }",  # a sub-select
        "$this :p ?x } LIMIT 1 #",
        "GRAPH ?g { $this :p ?x }",
    ],
)
def test_what_cannot_be_bounded_is_refused(body: str) -> None:
    with pytest.raises(UnboundedError):
        analyse(P + f"SELECT $this WHERE {{ {body} }}", "this")


def test_a_check_query_must_bind_its_focus_in_the_outer_group() -> None:
    text = P + "SELECT ?focus WHERE { ?x :p ?y OPTIONAL { ?x :q ?focus } }"
    with pytest.raises(UnboundedError):
        analyse(text, "focus", bound=True)
    with pytest.raises(UnboundedError):  # grouped by something else: rows mix focus nodes
        analyse(P + "SELECT ?x WHERE { ?focus :p ?x } GROUP BY ?x", "focus")


def test_a_property_path_matters_only_where_it_reads_a_changed_predicate() -> None:
    (dep,) = analyse(P + "SELECT $this WHERE { $this rdf:type/rdfs:subClassOf* :C }", "this")
    typed = (ox.NamedNode("urn:x:a"), ox.NamedNode(str(_RDF_TYPE)), ox.NamedNode("urn:x:B"))
    assert dep.start_of(typed, {_RDF_TYPE}) == ox.NamedNode("urn:x:a")
    assert dep.start_of(typed, {"urn:x:other"}) is None  # the path reads nothing that changed
    with pytest.raises(UnboundedError):
        dep.start_of(typed, {_RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#subClassOf"})


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


# -- the command, against full validations --------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from benchmarks.generate import generate

    root = generate(ROOT, tmp_path_factory.mktemp("corpus") / "x4", 4)
    subprocess.run([*AZGRAPH, "build", "--project", str(root)], check=True, capture_output=True)
    return root


@pytest.fixture()
def work(corpus: Path, tmp_path: Path, cache_root: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(corpus, root)
    return root


def _validate(root: Path, *extra: str) -> tuple[str, int, str]:
    done = subprocess.run(
        [*AZGRAPH, "validate", "--project", str(root), "--format", "json", *extra],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    return done.stdout, done.returncode, done.stderr


def _same_as_full(root: Path) -> str:
    """Validate incrementally and in full; assert the same report and exit code; the note."""
    report, code, note = _validate(root, "--incremental")
    full, full_code, _ = _validate(root)
    assert code == full_code and code in (0, 1), note
    assert report == full
    return note


def _triples(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def _write(path: Path, quads: list[ox.Quad]) -> None:
    path.write_text("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads))


def test_random_edits_give_the_full_report(work: Path) -> None:
    assert "no earlier state" in _same_as_full(work)
    assert "no file changed" in _same_as_full(work)
    rng = random.Random(6)
    files = sorted((work / "data").glob("*-x*.ttl"))
    for _ in range(6):
        path = rng.choice(files)
        quads = _triples(path)
        terms = [q.subject for q in quads] + [q.object for q in quads]
        for _ in range(rng.randint(1, 10)):
            if rng.random() < 0.5:
                quads.pop(rng.randrange(len(quads)))
            else:  # a triple made of parts of others: wrong types, values, references
                q = rng.choice(quads)
                subject = rng.choice([q.subject, rng.choice(terms)])
                if isinstance(subject, ox.Literal):
                    subject = q.subject
                quads.append(ox.Quad(subject, rng.choice(quads).predicate, rng.choice(terms)))
        _write(path, quads)
        assert "re-checked" in _same_as_full(work)
    # the edits reached what restriction rewrites: check queries and blank node foci
    results = json.loads(_validate(work)[0])["results"]
    assert any(r["source"].startswith("check:") for r in results)
    assert any(not r["focus"].startswith("http") for r in results)


def test_removing_evidence_reports_it_and_restoring_it_clears_it(work: Path) -> None:
    _same_as_full(work)
    path = work / "data" / "cemeri-2022-x0001.ttl"
    original = path.read_bytes()
    evidence = "https://w3id.org/azgraph/ontology#evidence"
    quads = _triples(path)
    kept = [q for q in quads if q.predicate.value != evidence]
    assert len(kept) < len(quads)
    _write(path, kept)
    assert "re-checked" in _same_as_full(work)
    report = json.loads(_validate(work, "--incremental")[0])
    assert any("evidence" in r["message"] for r in report["results"])
    path.write_bytes(original)
    assert "re-checked" in _same_as_full(work)
    assert json.loads(_validate(work, "--incremental")[0])["conforms"]


def test_an_agreement_signed_outside_a_term_found_through_the_union(work: Path) -> None:
    """AgreementShape's constraint reaches a tenure's start only through a UNION: changing the
    start re-checks that agreement alone, not the whole constraint."""
    _same_as_full(work)
    tenure = work / "data" / "zz-tenure.ttl"
    text = (
        "@prefix az: <https://w3id.org/azgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix id: <https://w3id.org/azgraph/id/> .\n"
        'id:agreement-z a az:Agreement ; az:signingDate "2010-05-01T00:00:00"^^xsd:dateTime ;\n'
        "  az:signatory id:person-z .\n"
        "id:person-z a az:Person .\n"
        'id:tenure-z az:holder id:person-z ; az:startTime "START"^^xsd:dateTime .\n'
    )
    tenure.write_text(text.replace("START", "2005-01-01T00:00:00"))
    _same_as_full(work)
    tenure.write_text(text.replace("START", "2015-01-01T00:00:00"))  # after the signing
    note = _same_as_full(work)
    assert "re-checked" in note and "in full" not in note
    report = json.loads(_validate(work)[0])
    assert any("outside every dated term" in r["message"] for r in report["results"])
    tenure.write_text(text.replace("START", "2005-01-01T00:00:00"))
    note = _same_as_full(work)
    assert "re-checked" in note and "in full" not in note
    report = json.loads(_validate(work)[0])
    assert not any("outside every dated term" in r["message"] for r in report["results"])


def test_files_added_and_removed(work: Path) -> None:
    _same_as_full(work)
    data = work / "data"
    moved = data / "ocmedia-2021-x0003.ttl"
    saved = moved.read_bytes()
    moved.unlink()  # its entities' references now dangle
    assert "re-checked" in _same_as_full(work)
    (data / "extra.ttl").write_bytes(saved)  # the same triples under another name
    assert "re-checked" in _same_as_full(work)


def test_a_changed_class_hierarchy_reruns_the_constraints_in_full(work: Path) -> None:
    _same_as_full(work)
    extra = work / "data" / "hierarchy.ttl"
    extra.write_text(
        "<https://w3id.org/azgraph/ontology#Pipeline> "
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<https://w3id.org/azgraph/ontology#Agreement> .\n"
    )
    note = _same_as_full(work)
    assert "constraints in full" in note


def test_a_damaged_state_means_a_full_run_with_the_same_report(
    work: Path, cache_root: Path
) -> None:
    _same_as_full(work)
    (state,) = cache_root.glob("validate/*/state.json")
    state.write_text("{not json")
    assert "no earlier state" in _same_as_full(work)
    (store,) = cache_root.glob("validate/*/store")
    shutil.rmtree(store)
    path = work / "data" / "cemeri-2022-x0002.ttl"
    quads = _triples(path)
    _write(path, quads[10:])
    assert "validating in full" in _same_as_full(work)
    _write(path, quads)  # the state was made again by the full run
    assert "re-checked" in _same_as_full(work)


def test_files_sharing_a_blank_node_label_are_validated_in_full(work: Path) -> None:
    for name in ("a.ttl", "b.ttl"):
        (work / "data" / name).write_text("_:shared <urn:x:p> <urn:x:o> .\n")
    note = _same_as_full(work)
    assert "_:shared is in two files" in note
    assert "no earlier state" in _same_as_full(work)  # nothing was kept


def test_without_fork_the_store_is_written_in_this_process(
    work: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from azgraph import parallel
    from azgraph.check.incremental import make_units, state_folder, validate_incremental
    from azgraph.check.render import render_report
    from azgraph.check.validate import load_shapes
    from azgraph.project import Project
    from azgraph.rdf.store import graph_files

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    files = graph_files(Project.at(work))
    shapes = load_shapes(work / "shapes")
    units = make_units(shapes, [])
    assert units is not None
    folder = state_folder(cache_root, files, sorted((work / "shapes").glob("*.ttl")), [])
    _, note = validate_incremental(files, work, shapes, units, folder)
    assert "no earlier state" in note and (folder / "store").is_dir()
    path = work / "data" / "cemeri-2022-x0003.ttl"
    _write(path, _triples(path)[5:])
    again = make_units(shapes, [])
    assert again is not None
    report, note = validate_incremental(files, work, shapes, again, folder)
    assert "re-checked" in note
    assert render_report(report, "json") == _validate(work, "--no-checks")[0]  # checks: none here


def test_with_the_cache_off_it_says_so_and_validates_in_full(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZGRAPH_CACHE", "off")
    assert "the cache is off" in _same_as_full(work)


def test_plain_validation_names_blank_nodes_as_the_files_do(work: Path) -> None:
    path = work / "data" / "cemeri-2022-x0000.ttl"
    owl = "http://www.w3.org/2002/07/owl#"
    orphan = (  # annotates a triple that is not in the graph
        f"_:orphan a <{owl}Axiom> ; <{owl}annotatedSource> <urn:x:s> ; "
        f"<{owl}annotatedProperty> <urn:x:p> ; <{owl}annotatedTarget> <urn:x:o> .\n"
    )
    path.write_text(path.read_text() + orphan)
    first, code, _ = _validate(work)
    assert code == 1 and "orphan" in first
    assert _validate(work)[0] == first


INT_SHAPE = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
<urn:azgraph:test:IntShape> a sh:NodeShape ; sh:targetNode <urn:azgraph:test:x> ;
  sh:property [ sh:path <urn:azgraph:test:p> ; sh:datatype xsd:int ] .
"""


def test_literals_the_store_rewrites_are_validated_in_full(work: Path) -> None:
    # The store keeps "7"^^xsd:int as "7"^^xsd:integer; only a full validation reads the term
    # as written, so an incremental run would report a false sh:datatype violation.
    (work / "shapes" / "int.ttl").write_text(INT_SHAPE, encoding="utf-8")
    data = work / "data" / "extra.ttl"
    data.write_text(
        '<urn:azgraph:test:x> <urn:azgraph:test:p> "7"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
    )
    note = _same_as_full(work)
    assert "keeps only in canonical form" in note and "validating in full" in note
    data.write_text('<urn:azgraph:test:x> <urn:azgraph:test:p> "seven" .\n')
    _same_as_full(work)  # a real violation now, found the same way
    data.write_text(
        '<urn:azgraph:test:x> <urn:azgraph:test:p> "7"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
    )
    note = _same_as_full(work)  # back again, after an incremental state exists
    assert "keeps only in canonical form" in note
