"""Speaker changes: where one voice's turn may end, and the `>>` that marks a new speaker.

Captioners mark a new speaker with `>>` at the start of a caption. Whisper says nothing of who
speaks, and a pause alone is not a change (a speaker pauses between sentences), so the engine
only offers the places a change can happen: the pauses between words of `pause` seconds or
more, which cut the words into turns. Whether the voice on either side differs is heard in the
sound (adapters/whisper/speakers.py); where it does, the first word of the new turn is preceded
by a `>>` word in the transcript, which the captions then begin a caption with
(captions/new_speakers.py) and search a passage with, and which staff can remove in review like
any other word (or add: a `>>` typed in, or Whisper's moved elsewhere, takes no time,
review/retime.py).

Whisper writes `>>` of its own too, timed like any word it says: those are its text, shown as
written, and start nothing. `starts_speaker` is the one rule that tells them apart, wherever a
`>>` could start something.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from archivist.domain.models import Segment, Word

SPEAKER_CHANGE = ">>"


def turns(words: Sequence[Word], pause: float) -> list[range]:
    """The words (indices into `words`) of each stretch between pauses of `pause` s or more."""
    found: list[range] = []
    first = 0
    for k in range(1, len(words)):
        if words[k].start - words[k - 1].end >= pause:
            found.append(range(first, k))
            first = k
    if words:
        found.append(range(first, len(words)))
    return found


def spans(words: Sequence[Word], reach: float, from_end: bool) -> list[tuple[float, float]]:
    """The words' own times, the last (`from_end`) or first `reach` seconds of them: where a
    turn's voice is heard."""
    found: list[tuple[float, float]] = []
    total = 0.0
    for w in reversed(words) if from_end else words:
        take = min(w.end - w.start, reach - total)
        if take <= 0:
            break
        found.append((w.end - take, w.end) if from_end else (w.start, w.start + take))
        total += take
    return found


def marked(segments: Sequence[Segment], firsts: Collection[int]) -> list[Segment]:
    """`segments` with a `>>` word before each word whose index (over all the segments' words)
    is in `firsts`; a segment is cut in two where a new speaker starts inside it."""
    out: list[Segment] = []
    k = 0
    for seg in segments:
        cuts = [i for i in range(len(seg.words)) if k + i in firsts]
        k += len(seg.words)
        if not cuts:
            out.append(seg)
            continue
        bounds = [0, *(c for c in cuts if c > 0), len(seg.words)]
        for a, b in zip(bounds, bounds[1:]):
            out.append(_part(seg, a, b, a in cuts))
    return out


def _part(seg: Segment, a: int, b: int, new_speaker: bool) -> Segment:
    words = seg.words[a:b]
    # A part's text is its words' (Whisper's pieces joined as they are spoken).
    whole = a == 0 and b == len(seg.words)
    text = (seg.text if whole else "".join(w.word for w in words)).strip()
    if new_speaker:
        words = (Word(words[0].start, words[0].start, f" {SPEAKER_CHANGE}"), *words)
        text = f"{SPEAKER_CHANGE} {text}"
    return replace(seg, start=words[0].start if a else seg.start,
                   end=words[-1].end if b < len(seg.words) else seg.end,
                   text=f" {text}", words=tuple(words))


def is_marked(word: str) -> bool:
    """True for a `>>` word (a speaker change, or Whisper's own: see `starts_speaker`)."""
    return word.strip() == SPEAKER_CHANGE


def whispered(words: Iterable[Word]) -> frozenset[tuple[float, float]]:
    """The (start, end) of each `>>` among `words` that Whisper wrote itself: timed like any
    word it says (the transcriber's mark has no length, nor has one staff type in)."""
    return frozenset((w.start, w.end) for w in words if is_marked(w.word) and w.end > w.start)


def starts_speaker(said: str, start: float, end: float,
                   whispered: Collection[tuple[float, float]]) -> bool:
    """True when the word `said` from `start` to `end` is a new speaker's `>>`: the
    transcriber's or staff's, not one of those Whisper wrote itself (`whispered`)."""
    return is_marked(said) and (start, end) not in whispered
