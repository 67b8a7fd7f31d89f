"""The normalisation rules of the value check (build/normalise.py), one rule at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from azgraph.build.normalise import find_date, find_number, find_text, fold, numbers_in, shorten


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param("1768", "an extension of 1,768 kilometers", id="comma-thousands"),
        pytest.param("1768", "eine Länge von 1.768 km", id="dot-thousands"),
        pytest.param("1768", "1 768 km", id="space-thousands"),
        pytest.param("1768", "1\u202f768 km", id="narrow-nbsp-thousands"),
        pytest.param("1768.0", "an extension of 1,768 kilometers", id="decimal-form-of-value"),
        pytest.param("1.768", "1,768", id="decimal-comma"),
        pytest.param("1.5", "1.5 times", id="decimal-point"),
        pytest.param("1000000", "a capacity of 1 million barrels", id="million"),
        pytest.param("3500000000", "close to 3.5 billion barrels", id="decimal-billion"),
        pytest.param("1200000000", "1.2 bn euros", id="bn"),
        pytest.param("400000", "400 thousand likes", id="thousand"),
        pytest.param("1000000", "one million barrels", id="number-words-scale"),
        pytest.param("44", "for forty-four long days", id="hyphenated-words"),
        pytest.param("10", "ten combat planes", id="number-word"),
        pytest.param("2", "the second country", id="ordinal"),
        pytest.param("1", "the first country to recognise", id="ordinal-first"),
        pytest.param("91", "91% of Azerbaijanis", id="before-percent"),
    ],
)
def test_a_number_is_found_in_any_form_the_quote_writes_it(value: str, quote: str) -> None:
    assert find_number(value, quote) >= 0


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param("1770", "an extension of 1,768 kilometers", id="other-number"),
        pytest.param("176", "1,768 kilometers", id="part-of-a-number"),
        pytest.param("44", "in 1944", id="inside-a-year"),
        pytest.param("1", "the firstborn", id="not-an-ordinal"),
        pytest.param("1000000", "1 billion", id="other-scale"),
        pytest.param("x", "x", id="not-a-number"),
    ],
)
def test_a_number_the_quote_does_not_state_is_not_found(value: str, quote: str) -> None:
    assert find_number(value, quote) == -1


def test_numbers_in_reads_each_numeral_with_its_span() -> None:
    assert (Decimal(1768), 21, 26) in numbers_in("With an extension of 1,768 kilometers")


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param("2022", "published in 2022.", id="year"),
        pytest.param("2022-09-12", "CEMERI, 12 Sept 2022,", id="day-abbreviated-month"),
        pytest.param("2022-09-12", "CEMERI, 12 sept. 2022,", id="lowercase-abbreviation"),
        pytest.param("2020-11-09", "On November 9, 2020 the leaders", id="month-day"),
        pytest.param("2001-08-24", "on August 24th, 2001", id="ordinal-day"),
        pytest.param("2001-08-24", "the 24th of August 2001", id="day-of-month"),
        pytest.param("2020-03", "In March 2020, Azerbaijan", id="month"),
        pytest.param("2021-02-18", "18 Şubat 2021", id="turkish-month"),
        pytest.param("2021-02-18", "18 fevral 2021", id="azerbaijani-month"),
        pytest.param("2022-09-12", "12 de septiembre de 2022", id="spanish-month"),
        pytest.param("2021-03-01", "from 01.03.2021 on", id="numeric-day-first"),
        pytest.param("2021-03-01", "from 2021-03-01 on", id="iso"),
    ],
)
def test_a_date_is_found_by_its_year_month_name_and_day(value: str, quote: str) -> None:
    assert find_date(value, quote) >= 0


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param("2020-11-09", "On November 9, the leaders", id="no-year"),
        pytest.param("2001-08-25", "on August 24, 2001", id="other-day"),
        pytest.param("2020-12", "in November 2020", id="other-month"),
        pytest.param("2020", "in 12020 or 2020s", id="year-inside-a-number"),
        pytest.param("2001-08-24", "in August 2001, on the 24 of it", id="day-not-by-month"),
    ],
)
def test_a_date_the_quote_does_not_state_is_not_found(value: str, quote: str) -> None:
    assert find_date(value, quote) == -1


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param(
            "president of Azerbaijan", "the former President of  Azerbaijan", id="case-ws"
        ),
        pytest.param("Gül", "Abdullah Gu\u0308l", id="nfc"),
        pytest.param("'sister nations'", "ties between ‘sister nations’.", id="typographic-quotes"),
        pytest.param('"one nation"', "the “one nation” motto", id="double-quotes"),
        pytest.param("Azerbaijan-Turkey", "Azerbaijan–Turkey relations", id="en-dash"),
        pytest.param("percent", "91% of", id="percent-sign"),
        pytest.param("Armenia", "the Armenian side", id="word-start"),
        pytest.param("İlham Aliyev", "İLHAM ALİYEV", id="dotted-capital-i"),
    ],
)
def test_text_is_found_under_case_unicode_space_and_quote_folding(value: str, quote: str) -> None:
    assert find_text(value, quote) >= 0


@pytest.mark.parametrize(
    ("value", "quote"),
    [
        pytest.param("Haydar Aliyev", "Haydar Aliyey", id="misspelling-is-kept"),
        pytest.param("Iran", "Tirana", id="not-inside-a-word"),
        pytest.param("", "anything", id="empty"),
    ],
)
def test_text_the_quote_does_not_contain_is_not_found(value: str, quote: str) -> None:
    assert find_text(value, quote) == -1


def test_fold_is_the_documented_normal_form() -> None:
    assert fold("  “Türkiye”\u00a0–  91 %  ") == '"türkiye" - 91 percent'


def test_shorten_cuts_at_words_around_the_match() -> None:
    quote = "With an extension of 1,768 kilometers, it starts from Baku, and ends at Ceyhan."
    assert shorten(quote, 21, width=12) == "…extension of 1,768 kilometers,…"
    assert shorten("short", 0) == "short"
