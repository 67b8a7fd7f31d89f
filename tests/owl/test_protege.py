"""The Protégé bundle: deterministic RDF/XML, an offline catalog, evidence on the assertions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL

from azgraph.cli.main import cli
from azgraph.owl.owlcheck import check_bundle
from azgraph.owl.protege import write_bundle
from azgraph.project import Project
from azgraph.rdf.store import graph_files, load_oxigraph

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "owl"
ONTOLOGY = REPO / "ontology" / "azgraph.ttl"


def test_export_writes_four_files_and_a_rerun_changes_no_byte(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "protege"
    first = runner.invoke(cli, ["export", "protege", str(out), "--project", str(REPO)])
    assert first.exit_code == 0, first.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["azgraph-all.owl", "catalog-v001.xml", "data.owl", "ontology.owl"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    second = runner.invoke(cli, ["export", "protege", str(out), "--project", str(REPO)])
    assert second.exit_code == 0
    assert second.output.count("unchanged") == 4
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bundle_is_the_same_graph_as_the_turtle(tmp_path: Path) -> None:
    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    turtle = Graph().parse(ONTOLOGY).parse(FIXTURES / "valid.ttl")
    rdfxml = Graph().parse(tmp_path / "ontology.owl", format="xml")
    rdfxml.parse(tmp_path / "data.owl", format="xml")
    header = URIRef("https://w3id.org/azgraph/data")  # the data ontology's own header
    for triple in list(rdfxml.triples((header, None, None))):
        rdfxml.remove(triple)
    assert isomorphic(turtle, rdfxml)


def test_catalog_maps_every_import_to_a_local_file(tmp_path: Path) -> None:
    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    root = ET.parse(tmp_path / "catalog-v001.xml").getroot()
    mapped = {e.get("name"): e.get("uri") for e in root}
    assert mapped["https://w3id.org/azgraph/ontology"] == "ontology.owl"
    assert mapped["https://w3id.org/azgraph/data"] == "data.owl"
    assert all((tmp_path / str(uri)).is_file() for uri in mapped.values())


def test_owl_api_loads_the_real_bundle_offline_with_evidence_on_the_axioms(tmp_path: Path) -> None:
    project = Project.at(REPO)
    files = graph_files(project)
    write_bundle(files[0], files[1:], tmp_path)
    report = check_bundle(tmp_path)
    assert report.problems == ()
    assert sorted(report.ontologies) == [
        "https://w3id.org/azgraph/all",
        "https://w3id.org/azgraph/data",
        "https://w3id.org/azgraph/ontology",
    ]
    assert all(doc.startswith("file:") for doc in report.ontologies.values())
    store = load_oxigraph(files)
    axioms = store.query(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?q) AS ?nq) WHERE {"
        " ?a a owl:Axiom . OPTIONAL { ?q a owl:Axiom ; az:quote ?quote FILTER (?q = ?a) } }",
        prefixes={
            "owl": "http://www.w3.org/2002/07/owl#",
            "az": "https://w3id.org/azgraph/ontology#",
        },
    )
    assert isinstance(axioms, ox.QuerySolutions)
    row = next(iter(axioms))
    assert report.stats["annotated"] == int(row["n"].value)
    assert report.stats["quoted"] == int(row["nq"].value) > 0


def test_every_exported_ontology_has_title_license_and_the_release_version(
    tmp_path: Path,
) -> None:
    from azgraph import __version__

    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    for name, iri in [
        ("ontology.owl", "https://w3id.org/azgraph/ontology"),
        ("data.owl", "https://w3id.org/azgraph/data"),
        ("azgraph-all.owl", "https://w3id.org/azgraph/all"),
    ]:
        graph = Graph().parse(tmp_path / name, format="xml")
        node = URIRef(iri)
        assert graph.value(node, DCTERMS.title) is not None, name
        assert graph.value(node, DCTERMS.license) == URIRef(
            "https://creativecommons.org/licenses/by/4.0/"
        ), name
        assert graph.value(node, OWL.versionIRI) == URIRef(f"{iri}/{__version__}"), name
        assert str(graph.value(node, OWL.versionInfo)) == __version__, name


def test_catalog_ids_are_unique_and_every_version_iri_is_mapped(tmp_path: Path) -> None:
    from azgraph import __version__

    write_bundle(ONTOLOGY, [FIXTURES / "valid.ttl"], tmp_path)
    entries = list(ET.parse(tmp_path / "catalog-v001.xml").getroot())
    ids = [e.get("id") for e in entries]
    assert len(set(ids)) == len(ids) == 6
    mapped = {e.get("name"): e.get("uri") for e in entries}
    assert mapped[f"https://w3id.org/azgraph/data/{__version__}"] == "data.owl"
    assert mapped[f"https://w3id.org/azgraph/all/{__version__}"] == "azgraph-all.owl"
    assert mapped[f"https://w3id.org/azgraph/ontology/{__version__}"] == "ontology.owl"
