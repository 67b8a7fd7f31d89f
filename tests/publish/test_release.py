"""`azgraph release` and `azgraph diff` on the mini fixture project."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from azgraph.build.compile import build_graphs
from azgraph.cli.commands.release import FORMATS
from azgraph.cli.main import cli
from azgraph.errors import OutputError
from azgraph.project import Project
from azgraph.publish.exporters import EXPORTERS, TurtleDump, write_rdf
from azgraph.publish.release import make_release
from azgraph.rdf.terms import from_oxigraph
from tests.conftest import make_project

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    root = make_project(tmp_path_factory.mktemp("release"))
    project = Project.at(root)
    build_graphs(project)
    folder = root / "dist" / "release"
    make_release(project, folder)
    return project, folder


def _source_graphs(project: Project) -> dict[str, Graph]:
    data = Graph()
    for path in project.data_files():
        data.parse(path, format="turtle")
    graphs = {"ontology": Graph().parse(project.ontology_file, format="turtle"), "data": data}
    for path in project.data_files():
        graphs[f"data-{path.stem}"] = Graph().parse(path, format="turtle")
    return graphs


def _oxigraph_graph(path: Path, fmt: ox.RdfFormat) -> Graph:
    graph = Graph()
    for t in ox.parse(path=str(path), format=fmt):
        triple = tuple(from_oxigraph(x) for x in (t.subject, t.predicate, t.object))
        graph.add(triple)  # type: ignore[arg-type]
    return graph


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_dump_is_the_same_graph_in_rdflib_and_pyoxigraph(
    released: tuple[Project, Path], fmt: str
) -> None:
    project, folder = released
    exporter = EXPORTERS[fmt]
    for name, expected in _source_graphs(project).items():
        path = folder / f"{name}{exporter.suffix}"
        by_rdflib = Graph().parse(path, format=RDFLIB_FORMAT[fmt])
        by_oxigraph = _oxigraph_graph(path, exporter.ox_format)
        assert len(by_rdflib) == len(expected), path.name
        assert isomorphic(by_rdflib, expected), f"{path.name} (rdflib) differs from the source"
        assert isomorphic(by_oxigraph, expected), f"{path.name} (pyoxigraph) differs"


def test_void_counts_match_the_graph(released: tuple[Project, Path]) -> None:
    _, folder = released
    void = Graph().parse(folder / "void.ttl", format="turtle")
    store = ox.Store()
    store.load(path=str(folder / "data.nt"), format=ox.RdfFormat.N_TRIPLES)
    dataset = URIRef("https://w3id.org/azgraph/void#dataset")

    def stat(node: URIRef, prop: str) -> int:
        value = void.value(node, URIRef(VOID + prop))
        assert isinstance(value, Literal), f"no void:{prop} on {node}"
        return int(value)

    def count(query: str) -> int:
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        return int(next(iter(result))[0].value)

    assert stat(dataset, "triples") == count("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert stat(dataset, "entities") == count(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) "
        '{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "https://w3id.org/azgraph/id/")) }'
    )
    partitions = list(void.objects(dataset, URIRef(VOID + "classPartition")))
    assert partitions
    for part in partitions:
        cls = void.value(part, URIRef(VOID + "class"))
        expected = count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> }}")
        assert stat(part, "entities") == expected, cls  # type: ignore[arg-type]
    classes = count("SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")
    assert len(partitions) == classes == stat(dataset, "classes")
    properties = list(void.objects(dataset, URIRef(VOID + "propertyPartition")))
    assert len(properties) == count("SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")
    for part in properties:
        prop = void.value(part, URIRef(VOID + "property"))
        expected = count(f"SELECT (COUNT(*) AS ?n) {{ ?s <{prop}> ?o }}")
        assert stat(part, "triples") == expected, prop  # type: ignore[arg-type]


def test_void_checksums_and_sizes_match_the_files(released: tuple[Project, Path]) -> None:
    _, folder = released
    void = Graph().parse(folder / "void.ttl", format="turtle")
    rows = list(
        void.query(
            """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
            SELECT ?url ?size ?sum ?type WHERE {
              ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ;
                 dcat:mediaType ?type ; spdx:checksum/spdx:checksumValue ?sum }"""
        )
    )
    names = sorted(str(r[0]).rsplit("/", 1)[-1] for r in rows)  # type: ignore[index]
    dumps = sorted(
        p.name for p in folder.iterdir() if p.suffix in {".ttl", ".nt", ".jsonld", ".rdf"}
    )
    other = {"void.ttl", "context.jsonld", "claimreview.jsonld"}  # not RDF dumps of the graph
    assert names == [n for n in dumps if n not in other]
    for url, size, checksum, media in rows:  # type: ignore[misc]
        data = (folder / str(url).rsplit("/", 1)[-1]).read_bytes()
        assert int(size) == len(data)
        assert str(checksum) == hashlib.sha256(data).hexdigest()
        assert str(media).startswith("https://www.iana.org/assignments/media-types/")
    assert (folder / "SHA256SUMS").read_text().count("\n") == len(rows) + 4


def test_void_names_licence_version_and_sources(released: tuple[Project, Path]) -> None:
    _, folder = released
    text = (folder / "void.ttl").read_text()
    assert "<https://creativecommons.org/licenses/by/4.0/>" in text
    assert "source:cemeri-2022" in text
    from azgraph import __version__

    assert f'owl:versionInfo "{__version__}"' in text


def test_rebuild_is_byte_identical(released: tuple[Project, Path]) -> None:
    project, folder = released
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = make_release(project, folder)
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert result.changed == [] and result.site_changed == 0
    assert after == before


def test_jsonld_context_is_compact_and_inlined(released: tuple[Project, Path]) -> None:
    _, folder = released
    context = json.loads((folder / "context.jsonld").read_text())["@context"]
    assert context["az"] == "https://w3id.org/azgraph/ontology#"
    assert context["evidence"] == {"@id": "az:evidence", "@type": "@id"}
    assert not {"sh", "vann", "azsh", "brick", "schema"} & set(context)
    dump = json.loads((folder / "data.jsonld").read_text())
    assert dump["@context"] == context
    assert [n["@id"] for n in dump["@graph"]] == sorted(n["@id"] for n in dump["@graph"])


def test_a_dump_that_fails_its_reparse_leaves_the_old_file_intact(tmp_path: Path) -> None:
    class Broken(TurtleDump):
        def serialize(self, graph: Graph) -> bytes:
            return b"<not turtle"

    old = tmp_path / "data.ttl"
    old.write_bytes(b"# previous release\n")
    graph = Graph()
    graph.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("ə")))
    with pytest.raises(OutputError, match="does not re-parse"):
        write_rdf(old, graph, Broken())
    assert old.read_bytes() == b"# previous release\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.ttl"]


def test_cli_format_choices_are_the_exporter_registry() -> None:
    assert sorted(FORMATS) == sorted(EXPORTERS)


def test_release_refuses_a_non_empty_folder_that_is_not_a_release(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["release", str(root), "--project", str(root)])
    assert result.exit_code == 5, result.output
    assert "not empty" in result.output
    assert not (root / "void.ttl").exists()


def test_cli_release_lists_files_with_sizes(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build_graphs(Project.at(root))
    out = tmp_path / "rel"
    args = ["release", str(out), "--project", str(root), "--no-site", "--format", "ntriples"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "data.nt" in result.output and "void.ttl" in result.output
    stems = [p.stem for p in Project.at(root).data_files()]
    expected = sorted(["data.nt", "ontology.nt", *(f"data-{stem}.nt" for stem in stems)])
    assert sorted(p.name for p in out.glob("*.nt")) == expected


MODIFIED = {
    '{s: pipeline:baku-tbilisi-ceyhan, p: lengthKm, v: "1768", ev: cemeri-2022-e004}': (
        '{s: pipeline:baku-tbilisi-ceyhan, p: lengthKm, v: "1770", ev: cemeri-2022-e004, '
        'derived: {kind: computed, why: "a test edit"}}'
    ),
    "  - {s: place:ceyhan, p: nameAsWritten, v: Ceyhan, lang: en, ev: cemeri-2022-e004}\n": "",
    "  - {s: place:baku, p: nameAsWritten, v: Baku, lang: en, ev: cemeri-2022-e004}\n": (
        "  - {s: place:baku, p: nameAsWritten, v: Baku, lang: en, ev: cemeri-2022-e004}\n"
        "  - {s: place:baku, p: nameAsWritten, v: Baku, lang: az, ev: cemeri-2022-e004}\n"
    ),
}


def test_diff_lists_added_removed_and_changed_facts_by_entity(
    released: tuple[Project, Path], tmp_path: Path
) -> None:
    _, old = released
    root = make_project(tmp_path)
    curated = root / "curated" / "cemeri-2022.yaml"
    text = curated.read_text(encoding="utf-8")
    for before, after in MODIFIED.items():
        assert before in text
        text = text.replace(before, after)
    curated.write_text(text, encoding="utf-8")
    build_graphs(Project.at(root))
    new = root / "data" / "cemeri-2022.ttl"
    result = CliRunner().invoke(cli, ["diff", str(old / "data-cemeri-2022.ttl"), str(new)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "1 facts added, 1 removed, 1 changed, about 3 entities." in lines
    assert "- changed: az:lengthKm 1768.0 → 1770.0" in lines
    assert '- added: az:nameAsWritten "Baku"@az' in lines
    assert '- removed: az:nameAsWritten "Ceyhan"@en' in lines
    assert lines.index("## Baku (`place:baku`)") < lines.index("## Ceyhan (`place:ceyhan`)")


def test_diff_of_a_release_with_itself_is_empty(released: tuple[Project, Path]) -> None:
    _, folder = released
    result = CliRunner().invoke(cli, ["diff", str(folder), str(folder / "data.ttl")])
    assert result.exit_code == 0
    assert "0 facts added, 0 removed, 0 changed, about 0 entities." in result.output


def test_diff_prints_dates_at_their_precision(
    released: tuple[Project, Path], tmp_path: Path
) -> None:
    _, old = released
    root = make_project(tmp_path)
    curated = root / "curated" / "cemeri-2022.yaml"
    before = 'p: constructionStart, v: "2003"'
    text = curated.read_text(encoding="utf-8")
    assert before in text
    month = 'p: constructionStart, v: "2003-05", derived: {kind: computed, why: "a test month"}'
    curated.write_text(text.replace(before, month), "utf-8")
    build_graphs(Project.at(root))
    new = root / "data" / "cemeri-2022.ttl"
    result = CliRunner().invoke(cli, ["diff", str(old / "data-cemeri-2022.ttl"), str(new)])
    assert result.exit_code == 0, result.output
    assert "- changed: az:constructionStart 2003 → 2003-05" in result.output.splitlines()
