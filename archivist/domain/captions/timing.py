"""Display times of cues: long enough to read, on the format's time grid, never overlapping."""

from __future__ import annotations

import math

from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules

CLOSE_GAP = 0.5        # a shorter gap between cues is closed, so captions don't flicker
MIN_SHOWN = 0.5        # seconds any cue stays up, even in degenerate timing
MAX_LAG = 0.25         # seconds a caption may wait for the one before to be read


def _nearest(t: float, tick: float) -> float:
    # Divided by the ticks a second, so a millisecond grid gives 3.3, not 3.3000000000000003.
    return round(t / tick) / (1 / tick)


def _up(t: float, tick: float) -> float:
    # A duration a rule asks for, made a whole number of ticks, so that the writer's
    # rounding never takes a cue below the rule (a reading rate of 20.01 cps).
    return math.ceil(t / tick - 1e-6) / (1 / tick)


def display(cues: list[Cue], rules: CueRules, tick: float = 0.001) -> list[Cue]:
    """Return `cues` (timed by their words) with the times to show them.

    Each cue starts with its first word and stays up until its last word ends, and at least
    the minimum duration and its reading time; a gap under CLOSE_GAP to the next is closed.
    It never overlaps the next, except that the next may wait up to MAX_LAG when speech is
    too fast to read. Times are multiples of `tick` (1 ms for WebVTT/SRT, a frame for SCC).
    """
    out: list[Cue] = []
    longest = math.floor(rules.max_duration / tick + 1e-6) / (1 / tick)
    for k, cue in enumerate(cues):
        next_start = _nearest(cues[k + 1].start, tick) if k + 1 < len(cues) else math.inf
        # Degenerate timing (words piled on one instant) shifts a cue after the one before.
        start = _nearest(cue.start, tick)
        if out:
            start = max(start, out[-1].end)
        chars = sum(len(line) for line in cue.lines)
        read_by = start + _up(chars / rules.max_cps, tick)
        end = max(_nearest(cue.end, tick), start + _up(rules.min_duration, tick), read_by)
        if end < next_start and next_start - end < CLOSE_GAP:
            end = next_start
        end = min(end, max(next_start, min(read_by, next_start + MAX_LAG)), start + longest)
        out.append(Cue(start, max(end, start + _up(MIN_SHOWN, tick)), cue.lines))
    return out
