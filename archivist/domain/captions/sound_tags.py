"""Sound tags: a caption ("♪" in SCC, "[MUSIC]" on the web) where music plays and no one speaks.

A tag never covers speech: it is cut to the time between the captions of words (and the words
themselves), with a margin either side, and split where it would outlast a caption's longest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules
from archivist.domain.models import Sound, Transcript

# Seconds kept clear between a tag and the caption (or word) either side of it.
MARGIN = 0.2


def tag(cues: list[Cue], transcript: Transcript, label: str, rules: CueRules,
        tick: Callable[[float], float] = lambda t: t) -> list[Cue]:
    """`cues` with a tag cue saying `label` over each of the transcript's sounds, in time order.

    Empty `label`: no tags. `tick` rounds a time onto the profile's grid (SCC: whole frames).
    """
    if not label or not transcript.sounds:
        return cues
    taken = sorted([(c.start, c.end) for c in cues]
                   + [(w.start, w.end) for w in transcript.words])
    tags = [Cue(tick(start), tick(end), (label,), sound=True)
            for sound in transcript.sounds
            for start, end in _pieces(_free(sound, taken), rules)]
    return sorted([*cues, *(t for t in tags if t.end > t.start)], key=lambda c: c.start)


def _free(sound: Sound, taken: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of `sound` at least MARGIN clear of everything taken."""
    free: list[tuple[float, float]] = []
    at = sound.start
    for start, end in taken:
        if end + MARGIN <= at:
            continue
        if start - MARGIN >= sound.end:
            break
        if start - MARGIN > at:
            free.append((at, start - MARGIN))
        at = max(at, end + MARGIN)
    if at < sound.end:
        free.append((at, sound.end))
    return free


def _pieces(free: list[tuple[float, float]], rules: CueRules) -> list[tuple[float, float]]:
    """Each free stretch long enough to read (rules.min_duration), in pieces no longer than
    rules.max_duration."""
    out: list[tuple[float, float]] = []
    for start, end in free:
        if end - start < rules.min_duration:
            continue
        count = int((end - start) // rules.max_duration) + (1 if (end - start) % rules.max_duration else 0)
        size = (end - start) / max(count, 1)
        out.extend((start + k * size, start + (k + 1) * size) for k in range(count))
    return out
