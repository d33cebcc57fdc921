"""Roll-up caption lines: words as they are agreed, broken into rows a viewer reads.

A roll-up caption shows the last 2 or 3 rows; each new row pushes the oldest up and off. The
words go out one at a time (the encoder shows each as it arrives), a carriage return starts a
new row: when the next word would not fit, when the speaker changes (the new row begins with
`>>`), or after a pause. Only ASCII reaches the encoder.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from archivist.domain.models import Word
from archivist.domain.speakers import SPEAKER_CHANGE, is_marked

ROW_END = "\r"
_ASCII = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
          "\u2014": "--", "\u2026": "...", "\u00a0": " "}


def ascii_text(text: str) -> str:
    """Text the encoder can show: quotes and dashes made plain, accents dropped, control
    characters and anything else outside printable ASCII removed."""
    text = "".join(_ASCII.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if " " <= c <= "~")


@dataclass(frozen=True, slots=True)
class Row:
    """A finished row of caption text with the stream times of its first and last word."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Piece:
    """What goes to the encoder for one word: the word, after a space or a row end (nothing
    for a speaker change's `>>`, which goes with the word after it)."""

    text: str
    word: Word


class RollUp:
    """Forms roll-up rows of at most `max_chars` columns from words as they are agreed."""

    def __init__(self, max_chars: int = 32, uppercase: bool = False) -> None:
        if max_chars < 8:
            raise ValueError("a roll-up row needs at least 8 columns")
        self._max = max_chars
        self._upper = uppercase
        self._row: list[Word] = []
        self._text = ""
        self._new_row = False      # the next word starts a row (a pause or a speaker change)
        self._speaker = False      # ... and that row begins with >>
        self._finished: list[Row] = []

    def pause(self) -> None:
        """The speaker paused: the next word starts a new row."""
        if self._row:
            self._new_row = True

    def speaker_changed(self) -> None:
        """Another voice: the next word starts a row with >>."""
        self._new_row = True
        self._speaker = True

    def add(self, words: list[Word]) -> list[Piece]:
        """The pieces to send for `words`, in order; a `>>` word of no length (a speaker
        change the session heard) sends nothing itself: the next word starts a row with it."""
        pieces = []
        for word in words:
            if is_marked(word.word) and word.end <= word.start:
                self.speaker_changed()
                pieces.append(Piece("", word))
                continue
            text = ascii_text(word.word).strip()
            if self._upper:
                text = text.upper()
            if not text:
                continue
            if self._speaker:
                text = f"{SPEAKER_CHANGE} {text}"
            room = self._max - len(self._text) - 1
            if self._row and (self._new_row or len(text) > room):
                self._end_row()
                pieces.append(Piece(ROW_END + text, word))
            elif self._text:
                pieces.append(Piece(" " + text, word))
            else:
                pieces.append(Piece(text, word))
            self._text = f"{self._text} {text}" if self._text else text
            self._text = self._text[-self._max:]   # a word longer than a row wraps at the encoder
            self._row.append(word)
            self._new_row = self._speaker = False
        return pieces

    def finished(self) -> list[Row]:
        """Rows finished since the last call (for the transcript and the web captions)."""
        rows, self._finished = self._finished, []
        return rows

    def close(self) -> list[Row]:
        """Finish the row in progress; every row not yet taken."""
        if self._row:
            self._end_row()
        return self.finished()

    def _end_row(self) -> None:
        self._finished.append(Row(self._row[0].start, self._row[-1].end, self._text))
        self._row, self._text = [], ""
