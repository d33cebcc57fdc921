"""The word error rate the station sees: what counts as a word, and how errors are counted."""

from __future__ import annotations

import jiwer
from hypothesis import given
from hypothesis import strategies as st

from archivist.domain.accuracy.wer import edit_distance, word_errors
from archivist.domain.accuracy.words import normalise


def textbook(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
        previous = row
    return previous[-1]


words = st.lists(st.sampled_from(["the", "council", "moved", "to", "approve", "a"]), max_size=90)


@given(words, words)
def test_the_fast_distance_is_the_textbook_one(reference, hypothesis) -> None:
    assert edit_distance(reference, hypothesis) == textbook(reference, hypothesis)


def test_errors_are_counted_per_word_of_the_reference_as_jiwer_does() -> None:
    reference = "Council member Nguyen moved to approve the minutes of November third."
    machine = "Council member when moved to approve minutes of the November 3rd."
    found = word_errors(reference, machine)
    assert found.words == 11
    assert found.rate == jiwer.wer(" ".join(normalise(reference)), " ".join(normalise(machine)))
    assert word_errors(reference, reference).rate == 0.0
    assert word_errors("", "").rate == 0.0 and word_errors("", "something").rate == 1.0


def test_punctuation_case_numbers_and_sound_tags_are_not_errors() -> None:
    assert normalise("[MUSIC] ♪ The budget is $4,200,000 (inaudible) -- forty-two percent.") \
        == ["the", "budget", "is", "4200000", "42", "percent"]
    assert word_errors("We'll meet at six thirty, Mr. O'Brien.",
                       "we'll meet at 6 30 mr obrien").rate == 0.0
    assert normalise("eight million three hundred thousand") == ["8300000"]
    assert normalise("fourteen twenty Elm") == ["14", "20", "elm"]


def test_a_three_hour_meeting_is_measured_at_once() -> None:
    reference = [f"w{i % 2000}" for i in range(30_000)]
    machine = [w if i % 10 else "x" for i, w in enumerate(reference)]
    assert edit_distance(reference, machine) == 3000
