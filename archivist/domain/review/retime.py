"""Word times after an edit: words kept keep their times; new or changed words get times
inside their line, shared out by their length between the kept words around them."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from archivist.domain.models import Segment, Word
from archivist.domain.speakers import is_marked

# A word typed in by hand: the transcriber never heard it, so it is not "doubtful".
TYPED = 1.0
_TICK = 0.001   # the shortest time a word keeps (times are kept to the millisecond)


def retime(start: float, end: float, text: str, heard: Sequence[Word]) -> tuple[Word, ...]:
    """The words of `text` (a line from `start` to `end`) with times.

    `heard`: the words the line had before the edit (with their times); those still there, in
    order, keep their times and confidence (clamped into the line); the others share the time
    between them by characters. Times are ordered and inside [start, end].
    """
    tokens = text.split()
    if not tokens:
        return ()
    if end <= start:
        end = start
    kept = _kept(tokens, [w for w in heard if w.word.strip()])
    out: list[Word] = []
    cursor = start
    i = 0
    while i < len(tokens):
        if i in kept:
            w = kept[i]
            w_start = min(max(w.start, cursor), end)
            w_end = min(max(w.end, w_start), end)
            if is_marked(w.word) and w.end > w.start and w_end <= w_start:
                w_start, w_end = _keeps_length(w_start, w_end, start, end)
            out.append(Word(w_start, w_end, " " + tokens[i], w.probability))
            cursor = w_end
            i += 1
            continue
        j = i
        while j < len(tokens) and j not in kept:
            j += 1
        # The run tokens[i:j] lies between the last kept word and the next one (or the line's end).
        until = end if j == len(tokens) else min(max(kept[j].start, cursor), end)
        out.extend(spread(tokens[i:j], cursor, until))
        cursor = until
        i = j
    return tuple(out)


def _kept(tokens: Sequence[str], old: Sequence[Word]) -> dict[int, Word]:
    """The heard word each token keeps (by index into `tokens`): the words still there, in
    order; a `>>` only where one stood before, between the same kept words and after as
    many words since the first of them.

    The `>>` are left out of the match: matched like words, a `>>` staff moved by a word
    would keep its old time and take the place of the word it moved past (that word then
    spread as if typed, into no time). Moved, it is staff's mark like one typed in: no
    length, at the next word's start (`spread`), a new speaker (domain/speakers.py)."""
    said = [i for i, t in enumerate(tokens) if not is_marked(t)]
    heard = [k for k, w in enumerate(old) if not is_marked(w.word)]
    matcher = SequenceMatcher(None, [old[k].word.strip() for k in heard],
                              [tokens[i] for i in said], autojunk=False)
    pairs = {said[b.b + k]: heard[b.a + k]
             for b in matcher.get_matching_blocks() for k in range(b.size)}
    kept = {i: old[k] for i, k in pairs.items()}
    # A `>>` keeps one heard in the same gap between kept words, at the same place in it
    # (after as many words since the gap's kept word): moved past a word there, it is
    # staff's mark, and the word it moved past takes its time up to the next kept word.
    marks_heard = _by_gap([is_marked(w.word) for w in old], set(pairs.values()))
    for place, marks in _by_gap([is_marked(t) for t in tokens], set(pairs)).items():
        for i, k in zip(marks, marks_heard.get(place, [])):
            kept[i] = old[k]
    return kept


def _by_gap(marked: Sequence[bool], anchors: set[int]) -> dict[tuple[int, int], list[int]]:
    """The indices of the marked items, by their place: the number of `anchors` before each,
    and the number of unmarked items between the last of those anchors and it."""
    out: dict[tuple[int, int], list[int]] = {}
    count = since = 0
    for i, mark in enumerate(marked):
        if i in anchors:
            count += 1
            since = 0
        elif mark:
            out.setdefault((count, since), []).append(i)
        else:
            since += 1
    return out


def _keeps_length(w_start: float, w_end: float, start: float, end: float) -> tuple[float, float]:
    """A `>>` Whisper wrote itself, squeezed to no length by the line's new times: given back
    1 ms (after it if the line has room, else before it), so it is never read as a speaker
    change staff or the transcriber marked (those have no length: domain/speakers.py)."""
    if w_start + _TICK <= end:
        return w_start, round(w_start + _TICK, 3)
    return max(start, round(w_end - _TICK, 3)), w_end


def spread(tokens: Sequence[str], start: float, end: float) -> list[Word]:
    """Words sharing the time from `start` to `end` by their length (a space counts as one).

    A `>>` typed in (a new speaker) takes no time: it stands at the start of the word after
    it, as the transcriber's mark does, so it is never taken for one Whisper wrote itself
    (domain/speakers.py)."""
    said = [token for token in tokens if not is_marked(token)]
    total = sum(len(token) + 1 for token in said) or 1
    out, t, left = [], start, len(said)
    for token in tokens:
        if is_marked(token):
            at = round(t if left else end, 3)   # the next word's start: the run's end if none
            out.append(Word(at, at, " " + token, TYPED))
            continue
        step = (end - start) * (len(token) + 1) / total
        out.append(Word(round(t, 3), round(min(t + step, end), 3), " " + token, TYPED))
        t += step
        left -= 1
    # Rounding must not push a word past the line or before the one before it.
    fixed: list[Word] = []
    floor = start
    for w in out:
        w_start = min(max(w.start, floor), end)
        w_end = min(max(w.end, w_start), end)
        fixed.append(Word(w_start, w_end, w.word, w.probability))
        floor = w_end
    return fixed


def retimed(start: float, end: float, text: str, heard: Sequence[Word]) -> tuple[Word, ...]:
    """`retime`, remembered for lines whose times are plain positive floats: saving a long
    meeting retimes every line, and a correction leaves most as they were."""
    if type(start) is float and type(end) is float and start > 0.0:
        return _remembered(start, end, text, tuple(heard))
    return retime(start, end, text, heard)


_remembered = lru_cache(maxsize=30_000)(retime)


class Heard:
    """The words of a transcript's segments, found by time quickly (segments by start)."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self._segments = sorted(segments, key=lambda s: s.start)
        self._starts = [s.start for s in self._segments]
        # The longest segment bounds how far before `start` a segment overlapping it can begin.
        self._longest = max((s.end - s.start for s in self._segments), default=0.0)

    def between(self, start: float, end: float) -> list[Word]:
        """The words said between `start` and `end` (by their middle)."""
        first = bisect_left(self._starts, start - self._longest)
        last = bisect_right(self._starts, end)
        return [w for s in self._segments[first:last] if s.end >= start
                for w in s.words
                if start <= (w.start + w.end) / 2 < end or (w.start == w.end == start)]
