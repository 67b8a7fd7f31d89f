"""Broken shapes are reported with the file and the shape, before pySHACL sees them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from azgraph.check.validate import load_shapes
from azgraph.errors import ExitCode, InputError, PolicyError

REPO = Path(__file__).resolve().parents[2]
HEADER = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (
            'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:minCount "2" ] .',
            InputError,
            r'broken.ttl: sh:minCount "2" in ex:S must be an xsd:integer',
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:minCount 1 ] .",
            InputError,
            r"broken.ttl: a property shape of ex:S has no sh:path",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:pattern "([" ] .',
            InputError,
            r"broken.ttl: invalid sh:pattern '\(\[' in ex:S",
        ),
        (
            'ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:sparql [ sh:select "SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }" ] .',
            PolicyError,
            r"broken.ttl: ex:S sh:select: SERVICE is refused",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:property [ sh:path ex:p ; sh:minCount 1 .",
            InputError,
            r"broken.ttl:3: invalid Turtle",
        ),
    ],
    ids=["mincount-string", "no-path", "bad-regex", "service", "turtle-syntax"],
)
def test_a_broken_shape_names_its_file_and_shape(
    tmp_path: Path, body: str, error: type[Exception], message: str
) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(REPO / "shapes", shapes)
    (shapes / "broken.ttl").write_text(HEADER + body + "\n", encoding="utf-8")
    with pytest.raises(error, match=message) as err:
        load_shapes(shapes)
    assert err.value.exit_code in (ExitCode.INPUT, ExitCode.POLICY)  # type: ignore[attr-defined]


def test_the_project_shapes_load() -> None:
    assert len(load_shapes(REPO / "shapes")) > 100


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:in ( 1 2 ) ; sh:in ( 3 ) .",
            "InConstraintComponent must have at most one sh:in predicate",
        ),
        (
            "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:and ( ex:S ex:S ) .",
            "Validation path too deep!",
        ),
    ],
    ids=["two-sh-in", "recursive-sh-and"],
)
def test_shapes_pyshacl_cannot_load_are_one_line_errors(body: str, message: str) -> None:
    # Found by tests/test_fuzz_inputs.py: pySHACL raised these through validate_graph.
    from rdflib import Graph

    from azgraph.check.validate import validate_graph

    data = Graph().parse(
        data="@prefix ex: <http://example.org/> .\nex:a a ex:C .\n", format="turtle"
    )
    shapes = Graph().parse(data=HEADER + body, format="turtle")
    with pytest.raises(InputError) as error:
        validate_graph(data, shapes)
    assert f"the shapes cannot be used: {message}" in str(error.value)
    assert "\n" not in str(error.value)
