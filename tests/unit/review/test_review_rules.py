"""Review's rules on their own: word times after an edit, which edits are refused, names
worth learning, and each city's publishing rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivist.domain.errors import ConfigError
from archivist.domain.models import Segment, Transcript, Word
from archivist.domain.review.retime import retime
from archivist.domain.review.revisions import EditedLine, InvalidEdit, edited, same_lines
from archivist.domain.review.state import PublishWhen, publish_rules
from archivist.domain.review.vocabulary import merged, suggestions

HEARD = (Word(10.0, 10.4, " The"), Word(10.4, 10.9, " slash"), Word(10.9, 11.3, " fan"),
         Word(11.3, 11.6, " is"), Word(11.6, 12.0, " open."))
MACHINE = Transcript((Segment(10.0, 12.0, "The slash fan is open.", HEARD),), duration=60.0)


def test_kept_words_keep_their_times_and_new_ones_fit_between() -> None:
    words = retime(10.0, 12.0, "The splash pad is open.", HEARD)
    assert [w.word for w in words] == [" The", " splash", " pad", " is", " open."]
    assert (words[0].start, words[0].end) == (10.0, 10.4)
    assert (words[3].start, words[4].end) == (11.3, 12.0)
    assert 10.4 <= words[1].start < words[2].start and words[2].end <= 11.3


def test_a_typed_speaker_change_takes_no_time_before_the_next_word() -> None:
    # Alt+1 in the editor: a new speaker, not a word said (Whisper's own `>>` has a length).
    words = retime(10.0, 12.0, "The >> splash pad is open.", HEARD)
    mark, splash, pad = words[1:4]
    assert mark.word == " >>" and mark.start == mark.end == splash.start == 10.4
    assert splash.end - splash.start > pad.end - pad.start and pad.end == 11.3   # by length alone
    # Typed alone before a kept word, it stands at that word's start, not in the pause before.
    paused = (Word(20.0, 20.5, " Second?"), Word(21.2, 21.5, " Yes."))
    alone = retime(20.0, 21.5, "Second? >> Yes.", paused)[1]
    assert alone.word == " >>" and alone.start == alone.end == 21.2
    assert retime(10.0, 12.0, "The slash fan is open. >>", HEARD)[-1].start == 12.0


def test_an_edit_keeps_times_and_refuses_lines_that_cannot_be_a_transcript() -> None:
    fixed = edited(MACHINE, [EditedLine(10.0, 12.0, "The  splash pad is open.")])
    assert fixed.segments[0].text == "The splash pad is open."
    assert fixed.segments[0].words[0] == HEARD[0] and fixed.duration == 60.0
    assert same_lines(fixed, edited(MACHINE, [EditedLine(10.0, 12.0, "The splash pad is open.")]))
    with pytest.raises(InvalidEdit, match=r"segments\[1\]"):
        edited(MACHINE, [EditedLine(10.0, 12.0, "a"), EditedLine(5.0, 6.0, "b")])
    with pytest.raises(InvalidEdit, match=r"segments\[0\].text"):
        edited(MACHINE, [EditedLine(10.0, 12.0, "   ")])
    with pytest.raises(InvalidEdit, match="start < end"):
        edited(MACHINE, [EditedLine(12.0, 12.0, "x")])


@settings(max_examples=200, deadline=None)
@given(start=st.floats(0, 10_000, allow_nan=False), length=st.floats(0.01, 30),
       text=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Zs", "Cc", "Zl",
                                                                               "Zp")),
                             min_size=1, max_size=12), min_size=1, max_size=30),
       keep=st.lists(st.booleans(), min_size=30, max_size=30),
       shift=st.floats(-5, 5, allow_nan=False))
def test_word_times_stay_ordered_and_inside_the_line(start, length, text, keep, shift) -> None:
    end = start + length
    # What the machine heard: some of the same words, at times that may lie outside the line.
    heard = tuple(Word(start + shift + i * 0.3, start + shift + i * 0.3 + 0.25, " " + t)
                  for i, t in enumerate(text) if keep[i])
    words = retime(start, end, " ".join(text), heard)
    assert [w.word.strip() for w in words] == " ".join(text).split()
    previous = start
    for w in words:
        assert start <= w.start <= w.end <= end
        assert w.start >= previous - 1e-9
        previous = w.end


def test_names_typed_over_misheard_words_are_suggested_once() -> None:
    after = edited(MACHINE, [EditedLine(10.0, 12.0, "The Villanueva pad is open.")])
    assert suggestions(MACHINE, after, known=()) == ["Villanueva"]
    assert suggestions(MACHINE, after, known=["Councilmember Villanueva"]) == []
    capital = edited(MACHINE, [EditedLine(10.0, 12.0, "The Slash fan is open.")])
    assert suggestions(MACHINE, capital, known=()) == []
    assert merged(["Okafor", "okafor ", "Pruitt"], ["PRUITT", "Ng"]) == ("Okafor", "Pruitt", "Ng")


def test_names_with_a_capital_inside_are_suggested_too() -> None:
    """Staff typed "O'Brien-Whitfield" over "slash": no suggestion, as for McKenzie or DeLuca:
    only a capital followed by lower case letters counted as a name. Words in capitals
    throughout (an acronym) are still not offered."""
    for name in ("McKenzie", "O'Brien", "DeLuca", "O'Brien-Whitfield"):
        after = edited(MACHINE, [EditedLine(10.0, 12.0, f"The {name} fan is open.")])
        assert suggestions(MACHINE, after, known=()) == [name]
    shouted = edited(MACHINE, [EditedLine(10.0, 12.0, "The HVAC fan is open.")])
    assert suggestions(MACHINE, shouted, known=()) == []


def test_each_city_says_when_cablecast_gets_captions() -> None:
    rules = publish_rules([{"name": "Riverton", "path": "/m"},
                           {"name": "Lakeside", "path": "/n", "review": {"publish": "on_approval"}}])
    assert rules == {"Riverton": PublishWhen.ON_CAPTION, "Lakeside": PublishWhen.ON_APPROVAL}
    with pytest.raises(ConfigError, match=r"library.cities\[0\].review.publish"):
        publish_rules([{"name": "Riverton", "path": "/m", "review": {"publish": "never"}}])


@settings(max_examples=100, deadline=None)
@given(start=st.sampled_from([0.0, 0, 10, 10.0, 10.5]), length=st.sampled_from([1, 2.0, 2.5]),
       text=st.sampled_from(["The splash pad is open.", "The slash fan", "open. is"]))
def test_remembered_word_times_are_those_worked_out_afresh(start, length, text) -> None:
    from archivist.domain.review.retime import retimed

    first = retimed(start, start + length, text, HEARD)
    again = retimed(start, start + length, text, HEARD)
    assert first == again == retime(start, start + length, text, HEARD)
    assert [type(w.start) for w in first] == [type(w.start) for w in
                                              retime(start, start + length, text, HEARD)]
