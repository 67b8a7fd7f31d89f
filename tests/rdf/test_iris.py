from hypothesis import given
from hypothesis import strategies as st

from azgraph.rdf.iris import curie_of, mint, slugify


def test_slugs_fold_turkish_and_azerbaijani_letters() -> None:
    assert slugify("İlham Əliyev") == "ilham-aliyev"
    assert slugify("Recep Tayyip Erdoğan") == "recep-tayyip-erdogan"
    assert slugify("Türk Boğazları") == "turk-bogazlari"
    assert slugify("Baku–Tbilisi–Ceyhan") == "baku-tbilisi-ceyhan"


@given(st.text(alphabet="abcçdeəfgğhıijklmnoöpqrsştuüvwxyzİIŞÇĞÖÜƏ -–'’.0123456789", max_size=40))
def test_slugs_are_ascii_kebab_case_and_idempotent(text: str) -> None:
    slug = slugify(text)
    assert slug.isascii()
    assert slug == slugify(slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


def test_mint_and_curie_round_trip() -> None:
    iri = mint("state:azerbaijan")
    assert str(iri) == "https://w3id.org/azgraph/id/state/azerbaijan"
    assert curie_of(str(iri)) == "state:azerbaijan"
