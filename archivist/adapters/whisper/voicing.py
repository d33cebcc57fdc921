"""Word edges fitted to the voice: where a word meets a pause, it starts and ends where it sounds.

Whisper times words from its attention, 20 ms at a time, and next to a pause it is loose: the
last word before one runs on into the silence (longer in a reverberant room, whose ring it
hears as the word), and the first word after one often starts in the silence before it. A
caption timed by those words stays up over the pause, or comes up before anyone speaks.

So each word edge that faces a pause (a gap to the next or previous word, the end of a
sentence, a segment's edge) is moved inward to where the sound is the word's own: the first and last 10 ms frame
within DROP_DB of the word's loudest and FLOOR_DB over the room's noise floor. Edges only move
inward, never past the word's middle, and a word nothing stands out in keeps its times; only
before a long pause may a word's end move out, where its voice goes on (LONG_PAUSE), across the
closure of a stop before its last syllable too (BRIDGE), and fading into the noise (FADE_DB).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from archivist.adapters.whisper import audio
from archivist.domain.models import Segment, Word

if TYPE_CHECKING:
    import numpy as np

FRAME = 0.01        # seconds a level is measured over
DROP_DB = 20.0      # the voice of a word is within this of its loudest frame; the ring is not
FLOOR_DB = 8.0      # ... and this far above the room's noise floor (8, chosen on dev: at 6 the
                    # noisiest room's noise still passed for the word's end, and its captions
                    # stayed up over the silence after it)
FLOOR_SECONDS = 3.0  # the noise floor is the quiet end of the levels this far either side
PAUSE = 0.1         # seconds of gap (by Whisper's times) at which a word edge faces a pause
ENDINGS = ".?!"     # a sentence's last word, and the next's first, face a pause too
# Slow speech in noise: Whisper can end a word before its voice does (dev 2103, held 2204), and
# the caption leaves while it is still said. Before a pause this long (seconds, by Whisper's
# times) a word ends where its voice stops, at most REACH later ...
LONG_PAUSE = 0.6
REACH = 0.5         # seconds
# ... its voice followed across dips of up to BRIDGE seconds where it comes back for SYLLABLE
# or more: `base` ends a slow "contract." in the closure of its "t", before "-tract" (dev 2103).
# Where the voice dipped before Whisper's end, it must come back within TOUCH of that end (two
# of Whisper's 20-ms steps): a word cut before its last syllable, not a noise after a word.
# And what comes back must sound like a syllable of the word: over within LAST_SYLLABLE, and
# within NEAR_DB of the word's loudest (at 6, dev 2103 lost 0.2 point of voiced coverage: a slow
# word's last syllables are quieter); a voice that goes on past that, or a quieter one, is someone
# the model did not write (an interjection, crosstalk) or the room: the word ends before the dip.
BRIDGE = 0.2
SYLLABLE = 0.05
TOUCH = 0.04
LAST_SYLLABLE = 0.35
NEAR_DB = 10.0
# ... and on while it fades into the room's noise, FADE_DB over the noise floor: a slow
# sentence's last sound trails off under FLOOR_DB in noise (dev 2104: 0.2-0.3 s of "weeks.",
# "order." uncaptioned before each pause).
FADE_DB = 4.0


def fit(segments: Sequence[Segment], sound: audio.Sound) -> list[Segment]:
    """Return `segments` with the word edges that face a pause moved to where the voice is."""
    words = [w for seg in segments for w in seg.words]
    if not words:
        return list(segments)
    loudness = levels(sound)
    firsts = {id(seg.words[0]) for seg in segments if seg.words}
    lasts = {id(seg.words[-1]) for seg in segments if seg.words}
    fitted: dict[int, Word] = {}
    before = float("-inf")   # where the word before ends, fitted
    for k, word in enumerate(words):
        after = words[k + 1].start if k + 1 < len(words) else float("inf")
        opens = (id(word) in firsts or word.start - before >= PAUSE
                 or (k > 0 and _ends_sentence(words[k - 1])))
        closes = id(word) in lasts or after - word.end >= PAUSE or _ends_sentence(word)
        if opens or closes:
            fitted[id(word)] = _fitted(word, loudness, opens, closes,
                                       after if after - word.end >= LONG_PAUSE else word.end)
        before = fitted.get(id(word), word).end
    return [_with(seg, tuple(fitted.get(id(w), w) for w in seg.words)) for seg in segments]


def _with(segment: Segment, words: tuple[Word, ...]) -> Segment:
    """`segment` with its words fitted; it ends no earlier than its last word, whose end may
    have moved out (a segment is found by its end: review's retiming, for one)."""
    end = max(segment.end, words[-1].end) if words else segment.end
    return replace(segment, end=end, words=words)


def _ends_sentence(word: Word) -> bool:
    # Whisper often hides the pause after a sentence, running its last word into it.
    return word.word.rstrip()[-1:] in ENDINGS


def levels(sound: audio.Sound) -> np.ndarray:
    """Level in dBFS of each FRAME of the recording."""
    import numpy as np

    step = int(FRAME * audio.SAMPLE_RATE)
    out = []
    block = 60 * audio.SAMPLE_RATE   # a minute at a time: a 3-hour meeting is not held at once
    for at in range(0, sound.samples, block):
        samples = sound.read(at, min(at + block, sound.samples)).astype(np.float64)
        whole = samples.size // step * step
        if whole:
            power = np.mean(samples[:whole].reshape(-1, step) ** 2, axis=1)
            out.append(10 * np.log10(np.maximum(power, 1e-12)))
    return np.concatenate(out) if out else np.zeros(0)


def _fitted(word: Word, levels: np.ndarray, opens: bool, closes: bool, free: float) -> Word:
    """`word` with the edges that face a pause where its voice is; its end may move out, up to
    `free` (seconds), where the voice goes on past it unbroken."""
    import numpy as np

    a, b = int(word.start / FRAME), int(np.ceil(word.end / FRAME))
    if b - a < 3 or a >= len(levels):
        return word
    own = levels[a:min(b, len(levels))]
    around = levels[max(0, a - int(FLOOR_SECONDS / FRAME)):b + int(FLOOR_SECONDS / FRAME)]
    floor = float(np.percentile(around, 10))
    limit = max(float(own.max()) - DROP_DB, floor + FLOOR_DB)
    loud = np.flatnonzero(own >= limit)
    if not loud.size:
        return word
    middle = (word.start + word.end) / 2
    start = min(float(a + loud[0]) * FRAME, middle) if opens else word.start
    end = max(float(a + loud[-1] + 1) * FRAME, middle) if closes else word.end
    if closes:   # does the voice go on past the word's end?
        stop = min(len(levels), int(min(free - PAUSE, word.end + REACH) / FRAME))
        on = _voice_ends(levels, a + int(loud[-1]) + 1, stop, limit, b,
                         float(own.max()) - NEAR_DB)
        if free > word.end:   # a long pause follows: the voice may fade out into it
            on = _loud_until(levels, on, stop, max(float(own.max()) - DROP_DB, floor + FADE_DB))
            end = max(end, on * FRAME)
        if on > b:
            return replace(word, start=round(max(word.start, start), 3), end=round(on * FRAME, 3))
    return replace(word, start=round(max(word.start, start), 3), end=round(min(word.end, end), 3))


def _voice_ends(levels: np.ndarray, at: int, stop: int, limit: float, end: int,
                near: float) -> int:
    """The frame (before `stop`) where the voice sounding just before frame `at` stops, followed
    across dips of up to BRIDGE (back within TOUCH of Whisper's `end` while it has not gone past
    it) to the word's further syllables: sounds of SYLLABLE to LAST_SYLLABLE, loudest over `near`."""
    on = _loud_until(levels, at, stop, limit)
    longest = round(LAST_SYLLABLE / FRAME)
    while True:
        last = min(stop, on + round(BRIDGE / FRAME) + 1)
        if on <= end:
            last = min(last, end + round(TOUCH / FRAME) + 1)
        for back in range(on, last):
            # where the sound that comes back stops, looked for past `stop`: a voice the reach
            # cuts off is not known to be a syllable
            until = _loud_until(levels, back, min(len(levels), back + longest + 1), limit)
            if until - back >= round(SYLLABLE / FRAME):
                break
        else:
            return on
        if until - back > longest or float(levels[back:until].max()) < near:
            return on   # a voice that goes on, or a quieter one: not the word's
        on = min(until, stop)


def _loud_until(levels: np.ndarray, at: int, stop: int, limit: float) -> int:
    """The first frame from `at` (before `stop`) quieter than `limit`."""
    while at < stop and levels[at] >= limit:
        at += 1
    return at
