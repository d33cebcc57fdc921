"""What the index keeps and how a typed query is read (domain/search/passages.py)."""

from __future__ import annotations

from archivist.domain.search.passages import PASSAGE_WORDS, parse_query, passages, spoken_at
from tests.fakes import spoken


def test_a_query_is_words_and_quoted_phrases_only() -> None:
    assert parse_query('budget "Water Main"  budget').terms == (("budget",), ("water", "main"))
    # Punctuation inside a word splits it into a phrase, as "water-main" is said.
    assert parse_query('NEAR(a b) OR x*').terms == (("near", "a"), ("b",), ("or",), ("x",))
    assert parse_query('"unclosed phrase').terms == (("unclosed", "phrase"),)
    assert parse_query('" : * ( )').empty
    assert parse_query("Café").terms == (("cafe",),)


def test_passages_are_caption_sized_and_never_cross_a_segment() -> None:
    many = " ".join(f"w{i}" for i in range(40))
    found = passages(spoken((0.0, many), (100.0, "Second segment here.")))
    assert [len(p.words) for p in found] == [PASSAGE_WORDS, PASSAGE_WORDS, 40 - 2 * PASSAGE_WORDS, 3]
    assert abs(found[1].start - PASSAGE_WORDS * 0.35) < 1e-6 and found[-1].start == 100.0
    assert found[-1].text == "Second segment here."


def test_a_long_pause_starts_a_new_passage() -> None:
    found = passages(spoken((0.0, "Before the pause"), (10.0, "after it")))
    assert [p.text for p in found] == ["Before the pause", "after it"]


def test_the_match_time_is_the_first_word_of_the_earliest_term() -> None:
    words = ((1.0, "The"), (1.4, "budgets,"), (1.8, "for"), (2.2, "water"), (2.6, "main."))
    assert spoken_at(words, parse_query('"water main"'), 0.0) == 2.2
    assert spoken_at(words, parse_query("budget water"), 0.0) == 1.4
    assert spoken_at(words, parse_query('"main water"'), 9.9) == 9.9   # not in order: fallback
