import shutil
from pathlib import Path

import pytest

from azgraph.build.seeds import Seed, load_seeds, normalize_ws
from azgraph.errors import InputError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Seed]:
    return load_seeds(REPO / "seeds")


def test_both_seeds_load_with_metadata(seeds: dict[str, Seed]) -> None:
    assert list(seeds) == ["cemeri-2022", "ocmedia-2021"]
    assert seeds["cemeri-2022"].meta["author"] == "Oween Barranzuela"
    assert seeds["ocmedia-2021"].meta["publication_date_source"] == "inferred"


def test_seeds_are_byte_identical_to_the_shared_originals(seeds: dict[str, Seed]) -> None:
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    originals = {p.read_bytes() for p in shared.glob("*.txt")}
    assert {s.path.read_bytes() for s in seeds.values()} == originals


def test_whitespace_rule_collapses_nbsp_and_line_breaks() -> None:
    assert normalize_ws(" a\u00a0\n\n b\tc ") == "a b c"


def test_quote_across_a_hard_line_break_is_found(seeds: dict[str, Seed]) -> None:
    seed = seeds["ocmedia-2021"]
    [loc] = seed.locate("But could the commonly expressed adage of one nation two states")
    assert seed.text[loc.start : loc.end].count("\n") == 2
    assert loc.line == 1


def test_quote_ending_before_a_no_break_space_is_found(seeds: dict[str, Seed]) -> None:
    seed = seeds["ocmedia-2021"]
    [loc] = seed.locate("perfectly encapsulates the current mood in Azerbaijani society.")
    assert seed.text[loc.end] == "\u00a0"


def test_curly_quotes_must_match_exactly(seeds: dict[str, Seed]) -> None:
    seed = seeds["ocmedia-2021"]
    assert seed.locate("Ankara’s attempt to restore relations")
    assert not seed.locate("Ankara's attempt to restore relations")


def test_nearest_passage_is_offered_for_a_misquote(seeds: dict[str, Seed]) -> None:
    near = seeds["cemeri-2022"].nearest("It has a capacity of one million barrels per day")
    assert near is not None
    assert "capacity of 1 million barrels" in near[0]


def test_checksum_mismatch_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "seeds" / "cemeri-2022.txt").write_text("tampered", encoding="utf-8")
    with pytest.raises(InputError, match="cemeri-2022.txt: seed text has sha256"):
        load_seeds(tmp_path / "seeds")
