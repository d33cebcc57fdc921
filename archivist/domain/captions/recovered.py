"""Speech the model wrote nothing for, heard again: which words of a second decode to trust.

Decoding a recording end to end, Whisper leaves out speech: a roll call whole, an answer
between two names, the last word of a sentence. The transcriber decodes each gap between words
where someone speaks again on its own, with a little of the words either side as context
(adapters/whisper/recovery.py), and adds what comes back, but only what it can trust: words
said inside the gap (not the context again), in segments the model did not doubt, that are not
a phrase Whisper invents over noise, and that do not loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from archivist.domain.captions import guards
from archivist.domain.models import Segment, Word

# Figures a segment decoded again must pass: Whisper's own limits (log-probability -1, where
# its fallback gives up; no-speech 0.6; compression 2.4), each alone, where `guards.clean`
# needs two doubts at once, since the first decode heard nothing worth writing here.
LEAST_LOGPROB = -1.0
MOST_NO_SPEECH = 0.6
LEAST_WORD_PROBABILITY = 0.3
# Seconds inside a gap's edges a word's middle must be: a context word timed a little
# differently the second time is not the gap's.
MARGIN = 0.1
# Seconds apart within which words the same as those next to the gap are those words again,
# nothing heard between them. After the gap a second answer needs its name called first, a
# second or more (dev 2104: a loop's stretch decoded again heard "... Guadalupe, Present." and
# the kept "present." after the gap, 0.6 s on, was that answer). Before it a second member may
# say the same word 0.7 s after the first ("Second." "Second.", "Aye." "Aye."): half a second.
ECHO_BEFORE = 0.5
ECHO_AFTER = 1.0
# Words next to the gap a second decode may say again, at most: it hears the context too and
# can write a phrase of it ("Council member" before the gap, "Council member Smith." back).
RUN = 4
# Letters a word must have for one letter added, dropped or changed to leave it the same word
# ("superintendent," kept, "superintendant" heard again, held 2203); shorter ones differ by
# a letter and are other words ("no", "so"). One letter, not a ratio: "present" and
# "president" are two letters apart and two words.
SPELT_ALIKE = 5


def trusted(found: Sequence[Segment], gap: tuple[float, float],
            segments: Sequence[Segment]) -> list[Segment]:
    """The segments of `found` (a second decode around `gap`, recording seconds) to add to
    `segments` (what the recording has): cut to the words whose middle falls in the gap, each
    kept between the words either side, without the words next to the gap said again; none if
    the model doubted them, if they are a stock phrase, or if they loop."""
    start, end = gap
    before = [w for s in segments for w in s.words if w.end <= start]
    after = [w for s in segments for w in s.words if w.start >= end]
    floor = before[-1].end if before else start
    ceiling = after[0].start if after else end
    inside = [_cut(s, lambda w: floor + MARGIN <= (w.start + w.end) / 2 <= ceiling - MARGIN)
              for s in found if not _doubted(s) and not guards.stock(s.text)]
    # A word heard longer the second time would overlap its neighbours: it keeps to the gap.
    kept = [c for c in (_within(s, floor, ceiling) for s in inside if s is not None)
            if c is not None]
    said = [w for s in kept for w in s.words]
    if not said or guards.looped([w.word for w in said]):
        return []
    echoes = _echoes(said, before, after)
    return [s for s in (_cut(s, lambda w: id(w) not in echoes) for s in kept) if s is not None]


def _echoes(said: Sequence[Word], before: Sequence[Word], after: Sequence[Word]) -> set[int]:
    """The words of `said` (in order, in a gap) that say again the last words `before` it or
    the first words `after` it, right next to them: the longest such run (RUN words at most)
    at each end."""
    echoes: set[int] = set()
    if before and said[0].start - before[-1].end < ECHO_BEFORE:
        k = next((k for k in range(min(RUN, len(said), len(before)), 0, -1)
                  if _alike(said[:k], before[-k:])), 0)
        echoes.update(id(w) for w in said[:k])
    if after and after[0].start - said[-1].end < ECHO_AFTER:
        k = next((k for k in range(min(RUN, len(said), len(after)), 0, -1)
                  if _alike(said[-k:], after[:k])), 0)
        echoes.update(id(w) for w in said[len(said) - k:])
    return echoes


def spliced(segments: Sequence[Segment], found: Sequence[Segment]) -> list[Segment]:
    """`segments` with `found` put in their places, in time order: one that falls between the
    words of a segment (a loop's words spread thin over a roll call) goes into it, word by
    word, so that captions read the words in the order they were said."""
    out = list(segments)
    for segment in found:
        into = next((k for k, s in enumerate(out)
                     if s.words and s.words[0].start < segment.start < s.words[-1].end), None)
        if into is None:
            out.append(segment)
            continue
        words = tuple(sorted((*out[into].words, *segment.words), key=lambda w: w.start))
        out[into] = replace(out[into], start=min(out[into].start, segment.start),
                            end=max(out[into].end, segment.end), words=words,
                            text="".join(w.word for w in words).strip())
    return sorted(out, key=lambda s: s.start)


def _cut(segment: Segment, keep: Callable[[Word], bool]) -> Segment | None:
    """`segment` with only the words `keep` keeps; None if none."""
    words = tuple(w for w in segment.words if keep(w))
    if not words:
        return None
    if len(words) == len(segment.words):
        return segment
    return replace(segment, start=words[0].start, end=words[-1].end, words=words,
                   text="".join(w.word for w in words).strip())


def _within(segment: Segment, floor: float, ceiling: float) -> Segment | None:
    """`segment` with each word's start at `floor` or later and its end at `ceiling` or
    earlier, and without a word that leaves no time; None if none is left."""
    words = tuple(replace(w, start=max(w.start, floor), end=min(w.end, ceiling))
                  for w in segment.words)
    words = tuple(w for w in words if w.end > w.start)
    if not words:
        return None
    if words == segment.words:
        return segment
    return replace(segment, start=words[0].start, end=words[-1].end, words=words,
                   text="".join(w.word for w in words).strip())


def _alike(these: Sequence[Word], those: Sequence[Word]) -> bool:
    """Whether `these` and `those` read as the same words, one by one: alike in letters and
    digits, case aside, the longer ones one slip of spelling apart at most."""
    return all(_same(_plain(a), _plain(b)) for a, b in zip(these, those, strict=True))


def _plain(word: Word) -> str:
    """The word as compared: lowercase, letters and digits only."""
    return "".join(c for c in word.word.lower() if c.isalnum())


def _same(a: str, b: str) -> bool:
    """Whether plain words `a` and `b` are one word: equal, or words of SPELT_ALIKE letters or
    more one letter apart (a number a digit off is another number)."""
    if a == b:
        return True
    if (min(len(a), len(b)) < SPELT_ALIKE or abs(len(a) - len(b)) > 1
            or not (a.isalpha() and b.isalpha())):
        return False
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    # After the first letter that differs, the rest with one letter changed, added or dropped.
    return a[i + 1:] in (b[i + 1:], b[i:]) or a[i:] == b[i + 1:]


def _doubted(segment: Segment) -> bool:
    words = segment.words
    mean = sum(w.probability for w in words) / len(words) if words else 0.0
    return (segment.avg_logprob < LEAST_LOGPROB or segment.no_speech_prob > MOST_NO_SPEECH
            or segment.compression_ratio > guards.HIGH_COMPRESSION
            or mean < LEAST_WORD_PROBABILITY)
