"""Roll-up rows: what a viewer sees, built word by word."""

from __future__ import annotations

from archivist.domain.live.rollup import RollUp, ascii_text
from archivist.domain.models import Word


def said(text: str, start: float = 0.0) -> list[Word]:
    return [Word(start + i, start + i + 0.5, w) for i, w in enumerate(text.split())]


def screen(pieces: list[str]) -> list[str]:
    return "".join(pieces).split("\r")


def test_rows_never_pass_32_columns_and_words_are_not_split():
    rollup = RollUp(max_chars=32)
    text = "Council member Anderson. Present. Council member Lopez. Present. Mayor Johnson."
    rows = screen([p.text for p in rollup.add(said(text))])
    assert all(len(r) <= 32 for r in rows)
    assert " ".join(rows) == text
    assert rows[0] == "Council member Anderson."


def test_uppercase_when_configured():
    rollup = RollUp(uppercase=True)
    assert [p.text for p in rollup.add(said("call the roll"))] == ["CALL", " THE", " ROLL"]


def test_a_pause_starts_a_new_row_and_finishes_the_last():
    rollup = RollUp()
    rollup.add(said("thank you."))
    rollup.pause()
    pieces = rollup.add(said("next item", start=5))
    assert pieces[0].text == "\rnext"
    (row,) = rollup.finished()
    assert (row.text, row.start, row.end) == ("thank you.", 0, 1.5)
    assert [r.text for r in rollup.close()] == ["next item"]


def test_a_speaker_change_begins_its_row_with_chevrons():
    rollup = RollUp()
    rollup.add(said("any questions?"))
    rollup.speaker_changed()
    assert rollup.add(said("yes", start=3))[0].text == "\r>> yes"


def test_a_speaker_change_word_sends_nothing_itself_and_begins_the_next_row():
    """The session's `>>` (a word of no length) goes with the word after it, on its row."""
    rollup = RollUp()
    rollup.add(said("any questions?"))
    rollup.pause()
    pieces = rollup.add([Word(3, 3, ">>"), *said("yes", start=3)])
    assert [(p.text, p.word.word) for p in pieces] == [("", ">>"), ("\r>> yes", "yes")]
    assert [r.text for r in rollup.close()] == ["any questions?", ">> yes"]


def test_only_printable_ascii_reaches_the_encoder():
    assert ascii_text("\u201cCaf\u00e9\u201d \u2014 it\u2019s\x07 done\u2026") == '"Cafe" -- it\'s done...'
