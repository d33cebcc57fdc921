"""The local-agreement policy: a word is sent once two successive decodes agree on it.

Each decode hears the whole growing buffer again and may change its mind about the last few
words; the words on which it agrees with the decode before it (their longest common prefix,
after what was already sent) will not change again and are sent. The buffer is cut at the end
of a sentence already sent, and never grows past `max_seconds`.
"""

from __future__ import annotations

import string
from collections import deque
from collections.abc import Sequence

from archivist.domain.models import Word

# A decode's words that start this long before the end of the last word sent may still be new
# (word times wobble between decodes by a few hundredths of a second).
_SLACK = 0.1
# A decode often repeats the last words already sent at the start of what it hears: up to this
# many words are compared with the tail of what was sent and dropped when they match.
_OVERLAP = 5
_SENTENCE_ENDS = (".", "?", "!")


def plain(word: str) -> str:
    """A word as compared between decodes: no case, no punctuation around it."""
    return word.strip().strip(string.punctuation + "\u201c\u201d\u2018\u2019").lower()


class LocalAgreement:
    """What two successive decodes agree on, and what is still tentative."""

    def __init__(self, short_letters: int = 0) -> None:
        # Words of at most `short_letters` letters wait for a third decode to agree too.
        self._short_letters = short_letters
        self._older: Sequence[Word] = ()     # the decode before the last one, as it came
        self._last: Sequence[Word] = ()
        self._tentative: list[Word] = []
        self._sent: deque[Word] = deque(maxlen=_OVERLAP)
        self.sent_until = 0.0   # end of the last word agreed, in stream seconds

    @property
    def tentative(self) -> tuple[Word, ...]:
        """The latest decode's words after those agreed: not sent yet."""
        return tuple(self._tentative)

    def offer(self, decoded: Sequence[Word]) -> list[Word]:
        """The words of a new decode of the buffer that are now agreed (to send, in order)."""
        fresh = self._unsent(decoded)
        older = [plain(w.word) for w in self._unsent(self._older)]
        agreed: list[Word] = []
        for i, (before, now) in enumerate(zip(self._tentative, fresh, strict=False)):
            said = plain(now.word)
            if plain(before.word) != said or not said:
                break
            if len(said) <= self._short_letters and (i >= len(older) or older[i] != said):
                break
            agreed.append(now)
        self._tentative = fresh[len(agreed):]
        if self._short_letters:
            self._older, self._last = self._last, decoded
        self._sent_now(agreed)
        return agreed

    def flush(self, until: float | None = None) -> list[Word]:
        """Send what is tentative as it stands (the speaker paused, the stream ended), or only
        the words that end by `until` (the rest may still be being said)."""
        cut = len(self._tentative) if until is None else \
            next((i for i, w in enumerate(self._tentative) if w.end > until), len(self._tentative))
        words, self._tentative = self._tentative[:cut], self._tentative[cut:]
        self._sent_now(words)
        return words

    def forget(self) -> None:
        """Drop what is tentative (the sound it came from is gone)."""
        self._tentative = []
        self._older = self._last = ()

    def _sent_now(self, words: Sequence[Word]) -> None:
        if words:
            self._sent.extend(words)
            self.sent_until = max(self.sent_until, words[-1].end)

    def _unsent(self, decoded: Sequence[Word]) -> list[Word]:
        fresh = [w for w in decoded if w.start > self.sent_until - _SLACK and plain(w.word)]
        # The decode may say again, just after the words sent, the last of them.
        if fresh and self._sent and fresh[0].start - self.sent_until < 1.0:
            sent = [plain(w.word) for w in self._sent]
            for n in range(min(len(sent), len(fresh)), 0, -1):
                if sent[-n:] == [plain(w.word) for w in fresh[:n]]:
                    return fresh[n:]
        return fresh


def cut_point(sent: Sequence[Word], buffer_start: float, buffer_end: float,
              trim_after: float, max_seconds: float) -> float | None:
    """Where to cut the buffer (stream seconds), or None to keep it whole.

    Once it holds `trim_after` seconds, cut after the last sentence already sent; past
    `max_seconds`, after the last word sent or, with none, keeping only the last few seconds
    (what it held was not speech the model could agree on, and waiting longer costs more).
    """
    length = buffer_end - buffer_start
    if length < trim_after:
        return None
    within = [w for w in sent if w.end > buffer_start]
    ends = [w.end for w in within if w.word.rstrip().endswith(_SENTENCE_ENDS)]
    if ends:
        return ends[-1]
    if length < max_seconds:
        return None
    if within:
        return within[-1].end
    return buffer_end - min(5.0, max_seconds / 2)
