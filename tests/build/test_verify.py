"""Values against their quotes (build/verify.py): a value or entity object that its quote does not
state fails the build with file, line, value and quote, unless the fact says how it was derived."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, XSD

from azgraph.build.compile import build_graphs, compile_project
from azgraph.build.verify import ValueCheckError, verify_project
from azgraph.build.vocab import load_vocabulary
from azgraph.cli.main import cli
from azgraph.errors import CurationError, ExitCode
from azgraph.project import Project
from azgraph.query.queries import load_queries, run_local
from azgraph.rdf.namespaces import AZ
from azgraph.rdf.store import graph_files, load_oxigraph
from tests.conftest import make_project

HINT = "Fix the value, or mark it derived and say how."


def curated_file(root: Path) -> Path:
    return root / "curated" / "cemeri-2022.yaml"


def edit(root: Path, old: str, new: str) -> int:
    """Replace ``old`` once in the curated file; the 1-based line it was on."""
    path = curated_file(root)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture lacks a unique {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's own curated files (the lines these tests edit)."""
    return make_project(tmp_path, None)


def data(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "data").iterdir()}


VALUE_EDITS = [
    pytest.param(
        'p: lengthKm, v: "1768"',
        'p: lengthKm, v: "1770"',
        '1770 is not in its quote ("With an extension of 1,768 kilometers, it starts from…")',
        id="number",
    ),
    pytest.param(
        '{s: event:turkish-warplane-demonstration-in-baku-2001, p: pointInTime, v: "2001-08-24"',
        '{s: event:turkish-warplane-demonstration-in-baku-2001, p: pointInTime, v: "2001-08-25"',
        '2001-08-25 is not in its quote ("…the Azeri skies on August 24, 2001.[4]")',
        id="date",
    ),
    pytest.param(
        'p: capacityBarrelsPerDay, v: "1000000"',
        'p: capacityBarrelsPerDay, v: "1200000"',
        '1200000 is not in its quote ("It has a capacity of 1 million barrels per day, taking…")',
        id="quantity",
    ),
    pytest.param(
        'v: "Haydar Aliyey", lang: en',
        'v: "Haydar Aliyew", lang: en',
        'Haydar Aliyew is not in its quote ("…former president of Azerbaijan Haydar Aliyey, '
        'forms the main basis…")',
        id="name",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), VALUE_EDITS)
def test_a_value_not_in_its_quote_fails_the_build_naming_file_line_value_and_quote(
    project: Path, old: str, new: str, message: str
) -> None:
    build_graphs(Project.at(project))
    before = data(project)
    line = edit(project, old, new)
    with pytest.raises(ValueCheckError) as err:
        build_graphs(Project.at(project))
    first = f"{curated_file(project)}:{line}: {message}. {HINT}"
    assert str(err.value.problems[0]) == first
    assert str(err.value).startswith(first)  # a wrong name also unnames its entity: "1 more"
    assert err.value.exit_code == ExitCode.INPUT
    assert data(project) == before


def test_the_check_mode_fails_too(project: Path) -> None:
    build_graphs(Project.at(project))
    edit(project, 'p: lengthKm, v: "1768"', 'p: lengthKm, v: "1770"')
    with pytest.raises(ValueCheckError, match="1770 is not in its quote"):
        build_graphs(Project.at(project), check=True)


def test_an_entity_object_its_quote_does_not_name_fails_the_build(project: Path) -> None:
    line = edit(
        project,
        "p: belligerent, o: state:azerbaijan, ev: cemeri-2022-e005}",
        "p: belligerent, o: state:georgia, ev: cemeri-2022-e005}",
    )
    with pytest.raises(ValueCheckError) as err:
        compile_project(Project.at(project))
    assert str(err.value).startswith(
        f"{curated_file(project)}:{line}: state:georgia is not named in its quote "
        '("Azerbaijan and Armenia relived…"'
    )
    assert "its names: 'Georgia'" in str(err.value)


def test_a_derived_marker_lets_the_value_through_and_reaches_the_axiom(project: Path) -> None:
    edit(
        project,
        'p: lengthKm, v: "1768", ev: cemeri-2022-e053}',
        'p: lengthKm, v: "1770", ev: cemeri-2022-e053, '
        'derived: {kind: computed, why: "rounded up to the next ten"}}',
    )
    graph = compile_project(Project.at(project))["cemeri-2022"]
    [axiom] = graph.subjects(OWL.annotatedTarget, Literal("1770.0", datatype=XSD.decimal))
    assert graph.value(axiom, AZ.derivation) == Literal("computed")
    assert graph.value(axiom, AZ.derivationNote) == Literal("rounded up to the next ten", lang="en")


def test_an_inferred_status_with_a_note_counts_as_derived(project: Path) -> None:
    graph = compile_project(Project.at(project))["cemeri-2022"]
    btc = URIRef("https://w3id.org/azgraph/id/pipeline/baku-tbilisi-ceyhan-pipeline")
    [axiom] = set(graph.subjects(OWL.annotatedSource, btc)) & set(
        graph.subjects(OWL.annotatedProperty, AZ.serviceEntry)
    )
    assert graph.value(axiom, AZ.derivation) == Literal("inferred")
    assert graph.value(axiom, AZ.derivationNote) is None  # its reason is the editorial note


BAD_MARKERS = [
    pytest.param("derived: {kind: computed}", r"a 'derived' marker needs a 'why'", id="no-why"),
    pytest.param('derived: {kind: computed, why: " "}', r"needs a 'why'", id="blank-why"),
    pytest.param(
        'derived: {kind: guessed, why: "x"}',
        r"unknown derivation kind 'guessed'. Use one of: computed, inferred, spelling",
        id="unknown-kind",
    ),
    pytest.param('derived: {why: "x"}', r"'derived' needs a 'kind'", id="no-kind"),
    pytest.param('derived: "computed"', r"'derived' must be a mapping", id="not-a-mapping"),
    pytest.param(
        'derived: {kind: computed, why: "x", by: me}', r"unknown field 'by'", id="extra-field"
    ),
]


@pytest.mark.parametrize(("marker", "message"), BAD_MARKERS)
def test_a_malformed_derived_marker_is_an_error(project: Path, marker: str, message: str) -> None:
    line = edit(
        project,
        'p: lengthKm, v: "1768", ev: cemeri-2022-e053}',
        f'p: lengthKm, v: "1770", ev: cemeri-2022-e053, {marker}}}',
    )
    with pytest.raises(CurationError, match=message) as err:
        build_graphs(Project.at(project))
    assert str(err.value).startswith(f"{curated_file(project)}:{line}: ")


def test_every_mismatch_is_collected_and_the_error_counts_the_others(project: Path) -> None:
    edit(project, 'p: lengthKm, v: "1768"', 'p: lengthKm, v: "1770"')
    edit(project, 'p: capacityBarrelsPerDay, v: "1000000"', 'p: capacityBarrelsPerDay, v: "7"')
    with pytest.raises(ValueCheckError) as err:
        build_graphs(Project.at(project))
    assert [p.message.split(" ")[0] for p in err.value.problems] == ["1770", "7"]
    assert str(err.value).endswith("(1 more; 'azgraph build --verbose' lists them all.)")


def test_the_cli_prints_the_first_line_or_with_verbose_every_one(project: Path) -> None:
    edit(project, 'p: lengthKm, v: "1768"', 'p: lengthKm, v: "1770"')
    edit(project, 'p: capacityBarrelsPerDay, v: "1000000"', 'p: capacityBarrelsPerDay, v: "7"')
    runner = CliRunner()
    short = runner.invoke(cli, ["build", "--project", str(project)])
    assert short.exit_code == ExitCode.INPUT
    assert len(short.stderr.strip().splitlines()) == 1
    assert "1770 is not in its quote" in short.stderr
    full = runner.invoke(cli, ["build", "--project", str(project), "--verbose"])
    assert full.exit_code == ExitCode.INPUT
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "1770 is not in its quote" in lines[0] and "7 is not in its quote" in lines[1]


def test_the_real_data_passes_and_the_summary_matches_the_bundled_query(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--project", str(project), "--no-cache"])
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    match = re.fullmatch(
        r"verified in their quotes: (\d+) values, (\d+) entity objects; derived: (\d+) "
        r"\((.*)\); (\d+) paraphrases not checked",
        summary,
    )
    assert match, summary
    query = load_queries(project / "queries")["fact-verification"]
    rows = run_local(load_oxigraph(graph_files(Project.at(project))), query, {}).rows
    counts = {(str(r[0]), str(r[1]), str(r[2])): int(str(r[3])) for r in rows}
    found = {target: n for (how, _, target), n in counts.items() if how == "found in its quote"}
    assert (found["value"], found["entity"]) == (int(match[1]), int(match[2]))
    derived = sum(n for (how, _, _), n in counts.items() if how == "derived")
    paraphrased = sum(n for (how, _, _), n in counts.items() if how.startswith("paraphrase"))
    assert derived + paraphrased >= int(match[3])  # an inferred paraphrase counts once, there
    assert paraphrased == int(match[5])
    assert int(match[1]) > 300 and int(match[2]) > 200


def test_a_cached_seed_is_checked_again_against_the_names_of_the_others(project: Path) -> None:
    """The build cache keeps a seed's entity objects and quotes; a cached seed is not parsed,
    so a name another file drops must still fail it."""
    vocab = load_vocabulary(Project.at(project).ontology_file)
    path = curated_file(project)
    record = {
        "names": {},
        "objects": [[12, "state:armenia", ["Armenia lost."]]],
        "tally": {"values": 0, "objects": 1, "paraphrases": 0, "derived": {}, "derived_objects": 0},
    }
    with pytest.raises(ValueCheckError, match=r"cemeri-2022.yaml:12: state:armenia is not named"):
        verify_project([], {"cemeri-2022": (record, path)}, vocab)
    record["names"] = {"state:armenia": ["Armenia"]}
    assert verify_project([], {"cemeri-2022": (record, path)}, vocab)["cemeri-2022"].objects == 1


def test_a_cached_build_reports_the_same_tally_as_a_full_one(
    project: Path, cache_root: Path
) -> None:
    first = build_graphs(Project.at(project))
    second = build_graphs(Project.at(project))
    assert second.compiled == []
    assert second.verification == first.verification
    assert first.verification.values > 0
