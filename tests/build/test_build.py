"""Compiling curated facts: the model in the output, determinism, and every bad-input error."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, XSD

from azgraph.build.compile import build_graphs, compile_project
from azgraph.errors import CurationError, ExitCode, InputError, StaleError
from azgraph.project import Project
from azgraph.rdf.namespaces import AZ

BTC = URIRef("https://w3id.org/azgraph/id/pipeline/baku-tbilisi-ceyhan")


def curated_file(root: Path) -> Path:
    return root / "curated" / "cemeri-2022.yaml"


def edit(root: Path, old: str, new: str) -> None:
    path = curated_file(root)
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build_writes_one_turtle_file_per_seed(project: Path) -> None:
    result = build_graphs(Project.at(project))
    assert sorted(p.name for p in result.written) == ["cemeri-2022.ttl", "ocmedia-2021.ttl"]


def test_a_fact_is_a_triple_with_an_annotated_axiom_carrying_its_evidence(project: Path) -> None:
    graph = compile_project(Project.at(project))["cemeri-2022"]
    length = Literal("1768.0", datatype=XSD.decimal)
    assert (BTC, AZ.lengthKm, length) in graph
    [axiom] = graph.subjects(OWL.annotatedTarget, length)
    assert graph.value(axiom, OWL.annotatedSource) == BTC
    evidence = graph.value(axiom, AZ.evidence)
    assert str(graph.value(evidence, AZ.quoteText)).startswith("With an extension of 1,768")
    assert graph.value(evidence, AZ.startOffset) == Literal(8349)


def test_year_only_dates_carry_their_precision(project: Path) -> None:
    graph = compile_project(Project.at(project))["cemeri-2022"]
    value = Literal("2003-01-01T00:00:00", datatype=XSD.dateTime)
    assert (BTC, AZ.constructionStart, value) in graph
    [axiom] = graph.subjects(OWL.annotatedTarget, value)
    assert graph.value(axiom, AZ.datePrecision) == Literal("year")


def test_inferred_values_say_so_and_why(project: Path) -> None:
    graph = compile_project(Project.at(project))["cemeri-2022"]
    value = Literal("2006-01-01T00:00:00", datatype=XSD.dateTime)
    [axiom] = graph.subjects(OWL.annotatedTarget, value)
    assert graph.value(axiom, AZ.claimStatus) == Literal("inferred")
    assert "Three years" in str(
        graph.value(axiom, URIRef("http://www.w3.org/2004/02/skos/core#editorialNote"))
    )


def test_two_builds_are_byte_identical(project: Path) -> None:
    build_graphs(Project.at(project))
    first = {p.name: p.read_bytes() for p in (project / "data").glob("*.ttl")}
    (project / "data" / "cemeri-2022.ttl").unlink()
    build_graphs(Project.at(project))
    second = {p.name: p.read_bytes() for p in (project / "data").glob("*.ttl")}
    assert first == second


def test_reordering_the_curated_file_does_not_change_the_output(project: Path) -> None:
    build_graphs(Project.at(project))
    before = (project / "data" / "cemeri-2022.ttl").read_bytes()
    path = curated_file(project)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("facts:") + 1
    facts = [ln for ln in lines[start:] if ln.startswith("  - {")]
    rest = [ln for ln in lines[start:] if not ln.startswith("  - {")]
    path.write_text("\n".join(lines[:start] + facts[::-1] + rest) + "\n", encoding="utf-8")
    build_graphs(Project.at(project))
    assert (project / "data" / "cemeri-2022.ttl").read_bytes() == before


def test_output_has_no_blank_node_individuals_and_only_used_prefixes(project: Path) -> None:
    import re

    build_graphs(Project.at(project))
    text = (project / "data" / "cemeri-2022.ttl").read_text(encoding="utf-8")
    # axioms are the only blank nodes: each starts a block with its content-hash label
    blank_subjects = re.findall(r"(?m)^(_:b[0-9a-f]{24}) (\S+ \S+)", text)
    assert blank_subjects and all(kind == "a owl:Axiom" for _, kind in blank_subjects)
    assert len(blank_subjects) == text.count("owl:annotatedSource")
    assert len(set(re.findall(r"_:b[0-9a-f]{24}", text))) == len(blank_subjects)
    for line in text.splitlines():
        if line.startswith("@prefix "):
            prefix = line.split()[1]
            assert text.count(prefix) > 1, f"{prefix} is declared but unused"


def test_build_check_detects_stale_data(project: Path) -> None:
    build_graphs(Project.at(project))
    build_graphs(Project.at(project), check=True)
    edit(project, 'v: "1768"', 'v: "1769", derived: {kind: computed, why: "a test"}')
    with pytest.raises(StaleError, match="data/cemeri-2022.ttl") as err:
        build_graphs(Project.at(project), check=True)
    assert err.value.exit_code == ExitCode.DATA_PROBLEM


def test_build_check_detects_a_stray_data_file(project: Path) -> None:
    build_graphs(Project.at(project))
    (project / "data" / "old-seed.ttl").write_text("", encoding="utf-8")
    with pytest.raises(StaleError, match="old-seed.ttl"):
        build_graphs(Project.at(project), check=True)


BAD_EDITS = [
    pytest.param(
        "p: lengthKm",
        "p: lenghtKm",
        r"cemeri-2022.yaml:\d+: unknown property 'lenghtKm'. Did you mean lengthKm",
        id="unknown-property",
    ),
    pytest.param(
        "o: place:ceyhan",
        "o: place:ceyhann",
        r"unknown entity 'place:ceyhann' in 'o'",
        id="unknown-entity",
    ),
    pytest.param(
        "{type: Place, label: Baku}",
        "{type: Town, label: Baku}",
        r"unknown class 'Town' for place:baku",
        id="unknown-class",
    ),
    pytest.param(
        "{type: Place, label: Baku}",
        "{type: State, label: Baku}",
        r"place:baku is a State, so its id must start with 'state:'",
        id="kind-mismatch",
    ),
    pytest.param(
        "    start: 8349",
        "    start: 8350",
        r"quote is in cemeri-2022 but not at line 58, start 8350, end 8465; it is at line 58, start 8349",
        id="misplaced-quote",
    ),
    pytest.param(
        "With an extension of 1,768 kilometers",
        "With a length of 1,768 kilometers",
        r'quote is not in cemeri-2022; nearest passage \(line 58\): "With an extension of 1,768',
        id="quote-not-in-seed",
    ),
    pytest.param(
        'v: "2003"', 'v: "2020-13-45"', r"'2020-13-45' is not a real date", id="invalid-date"
    ),
    pytest.param('v: "2003"', 'v: "May 2003"', r"'May 2003' is not a date", id="malformed-date"),
    pytest.param(
        'v: "44"', 'v: "forty-four"', r"durationDays needs a whole number", id="ill-typed-number"
    ),
    pytest.param(
        "  cemeri-2022-e002:",
        "  cemeri-2022-e001:",
        r"duplicate key 'cemeri-2022-e001' \(first at line \d+\)",
        id="duplicate-evidence-id",
    ),
    pytest.param(
        "  place:ceyhan: {type: Place, label: Ceyhan}",
        "  place:ceyhan: {type: Place, label: Ceyhan}\n  place:ceyhan: {type: Place, label: X}",
        r"duplicate key 'place:ceyhan'",
        id="duplicate-entity-id",
    ),
    pytest.param(
        ", lang: en, ev: cemeri-2022-e001}",
        ", lang: en_GB, ev: cemeri-2022-e001}",
        r"'en_GB' is not a BCP 47 language tag",
        id="bad-language-tag",
    ),
    pytest.param(
        "state:armenia: {type: State",
        "state:Armenia Republic: {type: State",
        r"'state:Armenia Republic' is not a valid identifier",
        id="iri-with-space",
    ),
    pytest.param(
        "    note: Three years after construction began in 2003.\n",
        "",
        r"an 'inferred' fact needs a 'note'",
        id="status-without-note",
    ),
    pytest.param(
        'p: durationDays, v: "44", ev: cemeri-2022-e001}',
        'p: durationDays, v: "44"}',
        r"a fact needs 'ev'",
        id="missing-evidence",
    ),
    pytest.param(
        'p: durationDays, v: "44", ev: cemeri-2022-e001}',
        'p: durationDays, v: "44", ev: cemeri-2022-e099}',
        r"unknown evidence 'cemeri-2022-e099'",
        id="unknown-evidence",
    ),
    pytest.param(
        "p: belligerent, o: state:armenia",
        "p: belligerent, v: Armenia",
        r"az:belligerent relates two entities; give 'o'",
        id="literal-for-object-property",
    ),
    pytest.param(
        "{s: state:armenia, p: nameAsWritten, v: Armenia, lang: en, ev: cemeri-2022-e001}",
        "{s: state:armenia, p: nameAsWritten, v: Armenia, lang: en, ev: cemeri-2022-e001}\n"
        "  - {s: state:armenia, p: nameAsWritten, v: Armenia, lang: en, ev: cemeri-2022-e001}",
        r"duplicate fact \(first at line \d+\)",
        id="duplicate-fact",
    ),
    pytest.param(
        "seed: cemeri-2022", "seed: cemeri-2023", r"unknown seed 'cemeri-2023'", id="unknown-seed"
    ),
    pytest.param(
        "  - {s: place:ceyhan,",
        "  - {s: place:ceyhan, colour: red,",
        r"unknown field 'colour'",
        id="unknown-field",
    ),
    pytest.param("facts:", "facts: [unclosed", r"malformed YAML", id="malformed-yaml"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_EDITS)
def test_bad_curated_input_is_one_clear_error_and_nothing_is_written(
    project: Path, old: str, new: str, message: str
) -> None:
    build_graphs(Project.at(project))
    before = {p.name: p.read_bytes() for p in (project / "data").iterdir()}
    edit(project, old, new)
    with pytest.raises(InputError, match=message) as err:
        build_graphs(Project.at(project))
    assert err.value.exit_code == ExitCode.INPUT
    assert str(err.value).startswith(str(curated_file(project)))
    after = {p.name: p.read_bytes() for p in (project / "data").iterdir()}
    assert after == before


def test_an_empty_curated_file_is_an_error(project: Path) -> None:
    curated_file(project).write_text("", encoding="utf-8")
    with pytest.raises(CurationError, match="file is empty"):
        build_graphs(Project.at(project))


def test_two_files_declaring_one_entity_differently_is_an_error(project: Path) -> None:
    other = project / "curated" / "ocmedia-2021.yaml"
    other.write_text(
        "seed: ocmedia-2021\nentities:\n  place:baku: {type: Place, label: Bakı}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        CurationError, match=r"place:baku is declared differently in cemeri-2022.yaml"
    ):
        build_graphs(Project.at(project))
