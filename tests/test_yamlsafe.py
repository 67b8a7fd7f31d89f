from pathlib import Path

import pytest

from azgraph.errors import InputError
from azgraph.yamlsafe import load_yaml, parse_yaml


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    with pytest.raises(InputError) as err:
        parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert str(err.value).startswith("f.yaml:3: duplicate key 'a' (first at line 1)")


def test_python_tag_is_rejected_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(InputError, match="explicit YAML tag"):
        parse_yaml(text, "f.yaml")
    assert not marker.exists()


@pytest.mark.parametrize("raw", ["NO", "off", "012345", "2020-01-02", "1e3", "~", "null"])
def test_implicit_typing_never_changes_a_value(raw: str) -> None:
    assert parse_yaml(f"v: {raw}\n")["v"] == raw


def test_mappings_remember_their_lines() -> None:
    doc = parse_yaml("top:\n  inner: 1\n  other: 2\n")
    assert doc.line_of("top") == 1
    assert doc["top"].line_of("other") == 3


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfseed: x\n")
    assert load_yaml(path) == {"seed": "x"}


def test_non_utf8_reports_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputError, match=r"latin1.yaml:2: not valid UTF-8 at byte offset 11"):
        load_yaml(path)


def test_malformed_yaml_names_the_line() -> None:
    with pytest.raises(InputError, match=r"f.yaml:2: malformed YAML"):
        parse_yaml("a: [1, 2\nb: c: d\n", "f.yaml")


def test_merge_keys_are_refused() -> None:
    with pytest.raises(InputError, match="merge keys"):
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n", "f.yaml")
