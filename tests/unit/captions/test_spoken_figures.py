"""Figures as they are said: how long a written figure takes to say, for its word's time."""

from __future__ import annotations

import pytest

from archivist.domain.captions import segmentation, spoken
from archivist.domain.models import Segment, Transcript, Word


@pytest.mark.parametrize(("written", "said"), [
    ("7,000,000", "seven million"),
    ("$7,000,000", "seven million dollars"),
    ("$8,300,000", "eight million three hundred thousand dollars"),
    ("$20,000.", "twenty thousand dollars."),
    ("item 7?", "item seven?"),
    ("2026", "twenty twenty-six"),
    ("2005", "two thousand five"),
    ("1905", "nineteen oh five"),
    ("1900", "nineteen hundred"),
    ("15%", "fifteen percent"),
    ("3.5%", "three point five percent"),
    ("7:30", "seven thirty"),
    ("7:05", "seven oh five"),
    ("7:00", "seven"),
    ("21st", "twenty-first"),
    ("12th", "twelfth"),
    ("$4.50", "four dollars fifty cents"),
    ("$1", "one dollar"),
    ("4.2", "four point two"),
    ("911", "nine hundred eleven"),
    ("Evening.", "Evening."),
    ("$0.50", "fifty cents"),
    ("$1.01", "one dollar one cent"),
    ("$2.01", "two dollars one cent"),
    ("call 555-123-4567.", "call five five five one two three four five six seven."),
    ("123-4567", "one two three four five six seven"),
    ("-5", "minus five"),
    ("it was -5 degrees", "it was minus five degrees"),
    ("a 5-4 vote", "a five-four vote"),   # a tally: its first figure is not the lower
    ("from 2020-2024", "from twenty twenty to twenty twenty-four"),   # a range: "to"
    ("pages 5-10", "pages five to ten"),
    ("10-15%", "ten to fifteen percent"),
    ("$5-$10", "five dollars to ten dollars"),
    ("2020\u20132024", "twenty twenty to twenty twenty-four"),   # an en dash
    ("on 2026-11-03", "on twenty twenty-six-eleven-zero three"),   # a date: no range in it
    ("1,000,000,000,000,000", "one quadrillion"),
])
def test_a_figure_is_counted_as_it_is_said(written: str, said: str) -> None:
    assert spoken.said(written) == said
    assert spoken.letters(written) == sum(c.isalnum() for c in said)


@pytest.mark.parametrize(("written", "said"), [
    ("a 4-5 vote", "a four-five vote"),                   # a tally, though it goes up
    ("the motion failed 4-5.", "the motion failed four-five."),
    ("it passed 3-4", "it passed three-four"),
    ("voted 2-3 against", "voted two-three against"),
    ("since 9-11", "since nine-eleven"),                  # a date named by its figures
    ("the 9-11 memorial", "the nine-eleven memorial"),
    ("Sec. 12-34", "Sec. twelve-thirty-four"),            # a code section: one number
    ("Section 12-34 of the code", "Section twelve-thirty-four of the code"),
    ("Ordinance No. 12-34", "Ordinance No. twelve-thirty-four"),
    ("Resolution 26-40", "Resolution twenty-six-forty"),
    ("§ 12-34", "§ twelve-thirty-four"),
    # Ranges still: "to".
    ("Sections 12-34", "Sections twelve to thirty-four"),
    ("ages 9-11", "ages nine to eleven"),
    ("from 9-11 a.m.", "from nine to eleven a.m."),
    ("a 4-5 year plan", "a four to five year plan"),
    # A verb that takes a tally, but a noun after the pair: a range.
    ("they approved 10-20 new homes", "they approved ten to twenty new homes"),
    ("it passed 3-4 weeks ago", "it passed three to four weeks ago"),
    ("we lost 2-3 staff", "we lost two to three staff"),
    # The pair ends the clause after such a verb, or a vote is named: a tally.
    ("it passed 3-4, with Smith absent", "it passed three-four, with Smith absent"),
    ("it passed 3-4 with Smith absent", "it passed three-four with Smith absent"),
    ("the vote was 4-5", "the vote was four-five"),
    ("The vote was 4-5 on the motion.", "The vote was four-five on the motion."),
])
def test_a_tally_a_date_or_a_code_section_is_said_as_written_not_as_a_range(
        written: str, said: str) -> None:
    """A 4-5 vote was counted as "four to five vote"; 9-11 as "nine to eleven"; Sec. 12-34 as
    "twelve to thirty-four": each goes up, but none is a range."""
    assert spoken.said(written) == said


def test_every_zero_of_a_round_sum_is_not_a_letter_to_say() -> None:
    # "seven million dollars": 19 letters, not the 35 that counting 4 a digit gave.
    assert spoken.letters("$7,000,000") == 19
    assert spoken.letters("$7,000,000") < spoken.letters("$7,100,000") == 37
    assert spoken.number(10**18) == " ".join(["one"] + ["zero"] * 18)   # past trillions: digits


def test_a_round_sum_stretched_over_the_silence_after_it_ends_when_it_is_said() -> None:
    # Whisper gives "$7,000,000" the 4 s up to the next sentence; "seven million dollars"
    # takes about 1.5 s: the caption must not stay up over the silence as if it were said.
    words = (Word(10.0, 10.3, " is", 0.9), Word(10.3, 14.3, " $7,000,000.", 0.9),
             Word(14.3, 14.6, " Next", 0.9))
    said = segmentation.tokens(
        Transcript((Segment(10.0, 14.6, "is $7,000,000. Next", words),), 20.0), 32)
    figure = next(t for t in said if t.text == "$7,000,000.")
    assert figure.start == 10.3
    assert figure.end == pytest.approx(10.3 + 1.0 + 0.08 * 19)


@pytest.mark.parametrize("written", ["9" * 4301, "9" * 5000 + ".5", "$1" + ",000" * 2000,
                                     "1" * 16, "1" + ",000" * 7])
def test_a_figure_of_any_length_is_counted_without_an_error(written: str) -> None:
    # Past 15 digits a figure is read digit by digit unless its commas group it in
    # thousands up to quadrillions; Python refuses int() of more than 4300 digits.
    digits = sum(c.isdigit() for c in written)
    assert spoken.letters(written) >= 3 * digits
    words = (Word(0.0, 0.5, " is", 0.9), Word(0.5, 9.0, " " + written, 0.9))
    said = segmentation.tokens(Transcript((Segment(0.0, 9.0, "is " + written, words),), 10.0), 32)
    assert said[0].text == "is" and "".join(t.text for t in said[1:]) == written   # cut to fit
    assert said[-1].end <= 9.0
