"""Speaker turns in a live session: where a new voice begins, its first words after a `>>`.

With `speaker_changes`, each turn's end (a pause, the source lost, or a pause too short to end
the row) sums up the voice of its last words (their sound, while the buffer still holds it: a
summary of bounded size is kept, not the sound; with none decoded yet, the sound between the
pauses that bound it); the first words sent after it are heard with
the words decoded after them, and where the two voices differ they are sent after a `>>` word
of no length, which starts a row with `>> `. A turn is told by time, its words those said after
the middle of the pause that began it, so the last words of the turn before, sent after that
pause was heard, go out before the `>>`; a turn that ends before its words are sent (a short
reply between two pauses) is judged when they are, each turn against the voice before it.
Agreed before `_NEW_VOICE` seconds of the new voice's words are heard, a turn's first words
wait for the next decode, but no longer than until the first of them was said `settle_seconds`
before the buffer's end (the bound on any word's wait), or the turn ends.
"""

from __future__ import annotations

from collections.abc import Sequence

from archivist.domain.live.ports import LiveRecognizer, Voices
from archivist.domain.models import Word
from archivist.domain.speakers import SPEAKER_CHANGE, spans

# Seconds of slack at a turn's bounds when telling its words (word times are good to a tenth).
_WORD_EDGE = 0.1
# Seconds of a new turn's words heard before its voice is judged, when waiting for them is
# short enough (on the dev corpus: precision 0.90 with 1 s of them, 0.92 with 1.5 or 2 s,
# 0.85 with 0.5 s; bench/live_speakers.py).
_NEW_VOICE = 1.5


class Turns:
    """The voice that ended the last turn, and the first words of the next one: held until
    enough of them is heard, then sent after a `>>` when their voice is another."""

    def __init__(self, voices: Voices, recognizer: LiveRecognizer,
                 settle_seconds: float) -> None:
        self._voices = voices
        self._recognizer = recognizer
        self._settle_seconds = settle_seconds
        self._turn_from = 0.0        # stream time the latest turn began (its words after)
        self._speaking_from = 0.0    # stream time the speech after the pause that began it did
        self._last_voice: object = None   # the voice that ended the latest turn
        # Turns begun whose first words are still to be judged, oldest first: when each began
        # and the voice that ended the turn before it (a short reply's turn can end before
        # any of its words is sent).
        self._new_turns: list[tuple[float, object]] = []
        self._held: list[Word] = []  # the latest turn's first words agreed, waiting to hear more

    def ended(self, heard: Sequence[Word], last: float, next_from: float) -> None:
        """A turn's words end by `last` (its voice is kept, if it has words among `heard`,
        words decoded from the sound still held, or among its first words waiting here); the
        next turn's begin after `next_from`, and their voice is compared with it."""
        # Its words are those begun after the pause's middle: a word's time is good to a
        # tenth, and the pause is long enough to tell them on either side.
        begun = (last + next_from) / 2
        if begun <= self._turn_from:   # a pause heard again (a turn's, then a row's heard late)
            return
        # Its first words may wait to be heard still: neither sent nor tentative, they are its.
        said = [w for w in sorted([*heard, *self._held], key=lambda w: w.start)
                if w.start >= self._turn_from - _WORD_EDGE and w.end <= last + _WORD_EDGE]
        if not said and self._speaking_from < last < next_from:
            # None of its words decoded yet (a reply between two pauses heard at once, after a
            # slow decode): its sound between the two pauses stands for them.
            said = [Word(self._speaking_from, last, "")]
        if said:
            self._last_voice = self._voice(said, from_end=True)
        self._turn_from, self._speaking_from = begun, next_from
        if self._last_voice is not None:
            self._new_turns.append((begun, self._last_voice))
        # A turn that ended before the buffer's start gets no more words (their sound is
        # gone): it is not kept, however long the words stay away (noise with pauses, no words).
        start = self._recognizer.start
        while len(self._new_turns) > 1 and self._new_turns[1][0] < start:
            del self._new_turns[0]

    def unheld(self, words: list[Word], final: bool, tentative: Sequence[Word]) -> list[Word]:
        """The words to send now: those held before `words`, and `words`; none while the first
        words of the latest turn wait to hear more of its voice (in `tentative`, the words
        decoded after them), unless `final` (the turn ends with them)."""
        words, self._held = [*self._held, *words], []
        latest = self._new_turns and self._new_turns[-1][0] == self._turn_from
        first = _first_from(words, self._turn_from) if latest else None
        if not final and first is not None and self._holding(words[first:], tentative):
            self._held = words[first:]
            return words[:first]
        return words

    def marked(self, words: list[Word], tentative: Sequence[Word]) -> list[Word]:
        """`words`, each turn's first among them after a `>>` when their voice is another than
        the one that ended the turn before."""
        shown: list[Word] = []
        while self._new_turns:
            begun, before = self._new_turns[0]
            first = _first_from(words, begun)
            if first is None:    # none yet (the last turn's words, sent after its end was heard)
                break
            self._new_turns.pop(0)
            shown, words = [*shown, *words[:first]], words[first:]
            until = self._new_turns[0][0] if self._new_turns else float("inf")
            turn = [w for w in words if w.start < until - _WORD_EDGE]
            heard = self._heard_of_turn(turn, tentative, begun, until)
            if turn and heard and self._voices.differ(before, self._voice(heard, False)):
                shown.append(Word(turn[0].start, turn[0].start, SPEAKER_CHANGE))
        return [*shown, *words]

    def _holding(self, words: list[Word], tentative: Sequence[Word]) -> bool:
        """Should the first words of the latest turn, `words`, wait to hear more of its voice?"""
        end = self._recognizer.end
        heard = sum(b - a for a, b in spans(self._heard_of_turn(words, tentative,
                                                                self._turn_from, float("inf")),
                                            _NEW_VOICE, False)
                    if a < end)
        return heard < _NEW_VOICE - 0.05 and end - words[0].end < self._settle_seconds

    def _heard_of_turn(self, words: list[Word], tentative: Sequence[Word], begun: float,
                       until: float) -> list[Word]:
        """`words` and the words decoded after them, of the turn begun at `begun` (and ended
        at `until`): the more of the new voice, the surer its judgement."""
        return [w for w in (*words, *tentative)
                if begun - _WORD_EDGE <= w.start < until - _WORD_EDGE]

    def _voice(self, words: list[Word], from_end: bool) -> object:
        """The voice of the last (`from_end`) or first seconds of `words` (as far as heard)."""
        end = self._recognizer.end
        return self._voices.voice([self._recognizer.sound(a, min(b, end))
                                   for a, b in spans(words, self._voices.reach, from_end)
                                   if a < end])


def _first_from(words: list[Word], begun: float) -> int | None:
    """Where the words of a turn begun at `begun` begin among `words`, if they are there."""
    return next((i for i, w in enumerate(words) if w.start >= begun - _WORD_EDGE), None)
