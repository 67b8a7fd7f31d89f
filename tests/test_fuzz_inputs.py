"""Bounded fuzzing of the readers of hand-edited files (#16): YAML, Turtle and shapes.

Each example is built from fragments that have broken a reader before (aliases, tags, deep
brackets, odd Unicode, escapes, SERVICE in shape SPARQL). A reader may accept the text or
raise an `AzgraphError`; any other exception, a crash or a hang fails the test. SPARQL texts
are fuzzed in tests/test_sparql_fuzz.py.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from azgraph.check.validate import load_shapes, validate_graph
from azgraph.errors import AzgraphError
from azgraph.rdf.turtle import parse_turtle
from azgraph.yamlsafe import parse_yaml

BOUNDED = settings(
    max_examples=150,
    deadline=10_000,  # milliseconds: a hang is a failure, not a slow example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD_TEXT = st.sampled_from(
    [
        "Gül",
        "Gu\u0308l",
        "İ",
        "ı",
        "ə",
        "\u200b",
        "\u0085",
        "\ufeff",
        "\\u0000",
        "\x07",
        "\U0001f600",
    ]
)


def _joined(fragments: st.SearchStrategy[str], most: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(fragments, ODD_TEXT), max_size=most).map("".join)


YAML_PARTS = st.sampled_from(
    [
        "a: ",
        "- ",
        "\n",
        "  ",
        "&x ",
        "*x",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "? ",
        "!!python/object:os.system ",
        "!tag ",
        "<<: ",
        '"',
        "'",
        "|\n",
        ">\n",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "# c\n",
        "012",
        "NO",
        "~",
    ]
)
TURTLE_PARTS = st.sampled_from(
    [
        "@prefix ex: <http://ex/> .\n",
        "PREFIX ex: <http://ex/>\n",
        "ex:s ",
        "ex:p ",
        "ex:o ",
        "[ ",
        "] ",
        "( ",
        ") ",
        " . ",
        " ; ",
        " , ",
        '"x"',
        '"""x\n"""',
        "'x'",
        "@en ",
        "^^ex:d ",
        "<rel> ",
        "_:b ",
        "<http://ex/a b> ",
        "1.5 ",
        "true ",
        "# c\n",
        "\n",
        "@base <http://ex/> .\n",
        "<<( ex:s ex:p ex:o )>> ",
    ]
)
SHAPE_PAIRS = st.sampled_from(
    [
        "sh:targetClass ex:C",
        "sh:targetNode ex:a",
        "sh:property [ sh:path ex:p ; sh:minCount 1 ]",
        "sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:maxCount 1 ]",
        'sh:sparql [ sh:select """SELECT $this WHERE { $this ?p ?o }""" ]',
        'sh:sparql [ sh:select """SELECT $this WHERE { SERVICE <http://127.0.0.1:PORT/> { ?s ?p ?o } }""" ]',
        'sh:sparql [ sh:select """SELECT $this WHERE { S\\\\u0045RVICE <http://127.0.0.1:PORT/> { } }""" ]',
        'sh:sparql [ sh:select """SELECT $this WHERE { ?s ?p ?o } # $shapesGraph""" ]',
        'sh:target [ a sh:SPARQLTarget ; sh:select """SELECT ?this WHERE { SERVICE <http://127.0.0.1:PORT/> { ?this ?p ?o } }""" ]',
        'sh:target [ a sh:SPARQLTarget ; sh:select """SELECT ?this WHERE { ?this ?p ?o }""" ]',
        "sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate ex:p ; sh:object ex:o ]",
        'sh:rule [ a sh:SPARQLRule ; sh:construct """CONSTRUCT { $this ex:p ?o } WHERE { SERVICE <http://127.0.0.1:PORT/> { $this ex:q ?o } }""" ]',
        'sh:minCount "2"',
        'sh:pattern "["',
        "sh:node ex:S",
        "sh:and ( ex:S ex:S )",
        "sh:in ( 1 2 3 )",
        "sh:closed true",
        "sh:deactivated true",
        "sh:severity sh:Warning",
    ]
)
DATA = "@prefix ex: <http://ex/> .\nex:a a ex:C ; ex:p ex:b .\nex:b ex:q ex:a .\n"
SHAPES_HEAD = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://ex/> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
)


@BOUNDED
@given(text=_joined(YAML_PARTS))
def test_yaml_reader_accepts_or_explains(text: str) -> None:
    try:
        parse_yaml(text, "fuzz.yaml")
    except AzgraphError as error:
        assert "\n" not in str(error)


@BOUNDED
@given(text=_joined(TURTLE_PARTS))
def test_turtle_reader_accepts_or_explains(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.ttl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        parse_turtle(path)
    except AzgraphError as error:
        assert "\n" not in str(error)


@BOUNDED
@given(pairs=st.lists(SHAPE_PAIRS, min_size=1, max_size=6), depth=st.integers(0, 120))
def test_shapes_accept_or_explain_and_never_reach_the_network(
    tmp_path: Path, pairs: list[str], depth: int
) -> None:
    folder = tmp_path / "shapes"
    folder.mkdir(exist_ok=True)
    nested = "[ sh:path ex:p ; sh:node " * depth + "ex:S" + " ]" * depth
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        port = str(listener.getsockname()[1])
        body = " ;\n  ".join(pairs).replace("PORT", port)
        shape = f"ex:S a sh:NodeShape ;\n  {body} .\nex:D a sh:NodeShape ; sh:property {nested} .\n"
        (folder / "fuzz.ttl").write_text(SHAPES_HEAD + shape, encoding="utf-8")
        data = Graph().parse(data=DATA, format="turtle")
        try:
            validate_graph(data, load_shapes(folder))
        except AzgraphError as error:
            assert "\n" not in str(error)
        with pytest.raises(BlockingIOError):  # nobody called
            listener.accept()
