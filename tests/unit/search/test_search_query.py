"""The search box's text → full-text query: normalisation, groups of alternatives, and
Vietnamese numbers matched in words or digits."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reception.domain.transcripts.search_query import (
    MATCH_END,
    MATCH_START,
    MAX_QUERY_CHARS,
    highlighted,
    normalise,
    parse_query,
)
from reception.domain.transcripts.vietnamese_numbers import number_words, parse_number_words


def test_normalising_composes_accents_lowers_case_and_collapses_space() -> None:
    decomposed = unicodedata.normalize("NFD", "KHIẾU  Nại\t\nĐất")
    assert normalise(decomposed) == "khiếu nại đất"
    assert normalise("a\x00b") == "a b"
    assert len(normalise("x" * 1000)) == MAX_QUERY_CHARS


def test_plain_words_each_make_a_group_that_must_match() -> None:
    assert parse_query("Khiếu nại đất").groups == (("khiếu",), ("nại",), ("đất",))


def test_or_joins_its_neighbours_into_one_group_of_alternatives() -> None:
    assert parse_query("nhà or đất or ruộng thuế").groups == (("nhà", "đất", "ruộng"), ("thuế",))
    assert parse_query("or nhà or").groups == (("nhà",),)  # nothing to join: dropped


def test_phrases_and_exclusions_pass_through_unchanged() -> None:
    q = parse_query('"quyết định thu hồi" -bồi')
    assert q.groups == (('"quyết định thu hồi"',), ("-bồi",))


def test_a_query_without_a_positive_word_is_empty() -> None:
    assert parse_query("").empty and parse_query("  !!! ").empty
    assert parse_query("-đất").empty
    assert not parse_query("nhà -đất").empty


@pytest.mark.parametrize(("typed", "group"), [
    ("15", ("15", '"mười lăm"')),
    ("20", ("20", '"hai mươi"')),
    ("21", ("21", '"hai mươi mốt"', '"hai mươi một"', '"hai mốt"')),
    ("105", ("105", '"một trăm linh năm"', '"một trăm lẻ năm"')),
    ("mười lăm", ('"mười lăm"', "15")),
    ("hai mươi", ('"hai mươi"', "20")),
    ("muoi lam", ('"muoi lam"', "15")),
    ("hai mốt", ('"hai mốt"', "21")),
])
def test_a_number_is_looked_for_in_digits_and_in_words(typed: str, group: tuple[str, ...]) -> None:
    assert parse_query(typed).groups == (group,)


def test_a_spoken_number_inside_a_sentence_is_one_group_between_the_words() -> None:
    assert parse_query("ở đây mười lăm năm").groups == (
        ("ở",), ("đây",), ('"mười lăm"', "15"), ("năm",))
    assert parse_query("đền bù 15, tháng 3").groups == (
        ("đền",), ("bù",), ("15", '"mười lăm"'), ("tháng",), ("3",))


def test_words_that_are_mostly_not_numbers_stay_words_when_alone() -> None:
    for word in ("một", "ba", "năm", "tư", "không", "sau", "nam", "bay"):
        assert parse_query(word).groups == ((word,),)
    assert parse_query("5").groups == (("5",),)  # not "năm": that is also "year"
    assert parse_query("hai").groups == (("hai", "2"),)


def test_runs_of_number_words_that_do_not_read_as_a_number_stay_words() -> None:
    assert parse_number_words(["hai", "ba"]) is None  # "two or three"
    assert parse_number_words(["mười", "mốt"]) is None
    assert parse_number_words(["hai", "mươi", "không"]) is None
    assert parse_number_words(["sau", "bay"]) is None  # no anchor without accents
    assert parse_number_words(["triệu"]) is None


@pytest.mark.parametrize(("words", "value"), [
    ("mười", 10), ("mười một", 11), ("mười bốn", 14), ("mười lăm", 15), ("hai mươi", 20),
    ("hai mươi mốt", 21), ("hai mươi tư", 24), ("ba lăm", 35), ("chín mươi chín", 99),
    ("một trăm", 100), ("một trăm linh năm", 105), ("một trăm lẻ năm", 105),
    ("hai trăm mười", 210), ("một nghìn", 1000), ("một ngàn không trăm linh năm", 1005),
    ("hai nghìn không trăm hai mươi tư", 2024), ("mười lăm nghìn", 15_000),
    ("một triệu", 1_000_000), ("hai tỷ", 2_000_000_000),
    ("hai muoi", 20), ("mot tram le nam", 105), ("nam muoi", 50),
])
def test_spoken_numbers_are_read(words: str, value: int) -> None:
    assert parse_number_words(words.split()) == value


@given(st.integers(min_value=0, max_value=999_999_999))
def test_every_spoken_form_of_a_number_reads_back_as_that_number(value: int) -> None:
    for reading in number_words(value):
        assert parse_number_words(reading.split()) == value, reading


def test_digits_whose_words_are_common_words_are_not_spelled_out() -> None:
    assert [number_words(n) for n in (0, 1, 3, 5)] == [(), (), (), ()]
    assert number_words(4) == ("bốn",)
    assert number_words(1_000_000_000) == ()


@given(st.text(max_size=300))
def test_any_text_gives_groups_of_alternatives_that_each_hold_a_word(raw: str) -> None:
    query = parse_query(raw)
    assert len(query.groups) <= 12
    for group in query.groups:
        assert group and all(any(c.isalnum() for c in alt) for alt in group)


def test_a_headline_is_cut_into_matched_and_plain_pieces() -> None:
    snippet = f"Tôi {MATCH_START}khiếu{MATCH_END} {MATCH_START}nại{MATCH_END} <b>"
    assert highlighted(snippet) == (("Tôi ", False), ("khiếu", True), (" ", False),
                                    ("nại", True), (" <b>", False))
    assert highlighted("") == ()
