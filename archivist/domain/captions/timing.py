"""Display times of cues: long enough to read, on the format's time grid, never overlapping.

The rules hold by construction, not by tuning. A cue is due ONSET before its first word's
time (ONSET_AFTER_PAUSE after a pause), and may show from LEAD before that to MAX_DELAY
after it; within that window the times are solved as a chain of constraints (each cue up
long enough to read at `max_cps` and for the next to be sent), so wherever the timeline has
room every cue keeps the reading rate: a cue extends into the gap after it, the next one is
shifted a little later, or one before it appears a little early. Where even that leaves no
room the speech is too fast for the rule; `too_fast` finds those stretches so staff are
told where. A cue up longer than its words (a short answer held for the minimum duration)
is centred on them rather than left over the silence after them. Where the gap after a cue
stays open, the cue stays TRAIL past its last word, while that word's voice trails off, unless
the word already holds its fade (`trail`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from archivist.domain.captions import spoken
from archivist.domain.captions.cues import Cue, Token
from archivist.domain.captions.settings import CueRules

CLOSE_GAP = 0.5        # a shorter gap between cues is closed, so captions don't flicker
                       # (subtitlers' "chaining": Netflix closes gaps of half a second or less)
MIN_SHOWN = 0.5        # seconds any cue stays up, even where speech is too fast to read
LEAD = 0.5            # seconds a caption may appear before it is due, to make room ahead
ONSET = 0.1            # seconds before its first word's time a caption appears (Whisper's
                       # word starts run late; the cue then covers the word's onset)
ONSET_AFTER_PAUSE = 0.15  # the same for a caption after a pause (no caption up through it):
                       # Whisper's first word after a silence starts late, by 0.09 s in the
                       # median and 0.15 s at the 75th percentile of the dev corpus
CENTRED_LEAD = 0.3     # seconds before its first word's time, at most, a caption up longer
                       # than its words appears to be centred on them
MAX_DELAY = 0.75        # seconds a caption may appear after it is due, to let one be read
FAST_JOIN = 5.0        # too-fast cues this close together are one stretch of fast speech
TRAIL = 0.1            # seconds a caption stays up after its last word, where the gap after it
                       # stays open: a word's end is fitted to its last sound loud over the
                       # room's noise, and a voice trails off under that (held 2204, slow
                       # speech in noise: 0.15-0.25 s of voice after nearly every sentence's
                       # fitted end, 1.8 % of its voiced speech, with no caption up). Chosen
                       # on dev 2101-2104: 0.1 s covers 1 point more of 2103's and 2104's
                       # voiced speech for at most 0.09 point of excess; 0.2 s 0.2-0.4 point
                       # more for 0.14-0.28 point more excess. Not where the last word holds
                       # its fade already (`trail`).


def display(cues: Sequence[Cue], rules: CueRules, tick: float = 0.001,
            load: Callable[[tuple[str, ...]], float] | None = None,
            trails: Sequence[float] | None = None) -> list[Cue]:
    """Return `cues` (timed by their words) with the times to show them.

    A cue stays up through its last word and at least its reading time and the minimum
    duration (centred on its words where that is longer than they are), a gap under
    CLOSE_GAP to the next is closed, and a cue never overlaps the next. `load` says how long
    a cue takes to send after the one before appears (SCC); cues are spaced for it. Times
    are multiples of `tick` (1 ms for WebVTT/SRT, a frame for SCC), and all the arithmetic
    is in whole ticks, so rounding never breaks a rule. `trails` says how long each cue may
    stay past its last word where the gap after it stays open (TRAIL for every one if None).
    """
    n = len(cues)
    if not n:
        return []

    def ticks(seconds: float) -> int:
        return round(seconds / tick)

    def ticks_up(seconds: float) -> int:
        # A duration a rule asks for, as whole ticks, never shorter than asked.
        return math.ceil(seconds / tick - 1e-6)

    longest = math.floor(rules.max_duration / tick + 1e-6)
    least = ticks_up(MIN_SHOWN)
    said = [max(ticks(t), 0) for t in due(cues)]
    ends = [max(ticks(c.end), s) for c, s in zip(cues, said)]
    need = [min(ticks_up(max(_chars(c) / rules.max_cps, rules.min_duration)), longest)
            for c in cues]
    send = [ticks_up(load(c.lines)) if load is not None else 0 for c in cues]
    # From one cue's start to the next's: read this one (ideally, at least `least`) and
    # send the next.
    spacing = [max(need[k], send[k + 1]) for k in range(n - 1)]
    bare = [max(min(least, need[k]), send[k + 1], 1) for k in range(n - 1)]
    lead, delay = ticks(LEAD), ticks(MAX_DELAY)
    trail = [ticks(t) for t in trails] if trails is not None else [ticks(TRAIL)] * n

    # The latest each cue may start and still leave every later cue its reading time.
    latest = [0] * n
    latest[-1] = said[-1] + delay
    for k in range(n - 2, -1, -1):
        latest[k] = min(said[k] + delay, latest[k + 1] - spacing[k])
    # Then each start as near its first word as that allows: a little early only to make
    # room ahead, a little late only to let the one before be read.
    starts = [0] * n
    for k in range(n):
        wanted = said[k] if k == 0 else max(said[k], starts[k - 1] + spacing[k - 1])
        # Where the window leaves no room the cue before is cut short (too fast to read);
        # the first can't appear before it is sent.
        floor = starts[k - 1] + bare[k - 1] if k else send[0]
        starts[k] = max(min(wanted, latest[k]), said[k] - lead, floor, 0)

    # A cue up longer than its words (to be read, or for the minimum duration) is centred on
    # them, appearing up to CENTRED_LEAD before its first word rather than lingering after its
    # last over the pause that follows; after a gap too short to leave open (which the cue
    # before would otherwise stay up through) it may instead take the whole gap. It appears
    # early only within its window, after the words of the cue before, never taking that
    # cue's reading time or the time to send this one, and never closing a pause the cue
    # before leaves open.
    close = ticks(CLOSE_GAP)
    for k in range(n):
        first, last = ticks(cues[k].start), ends[k]
        tail = starts[k] + need[k] - last
        if tail <= 0:
            continue
        target = max((first + last - need[k]) // 2, first - ticks(CENTRED_LEAD))
        bound = max(said[k] - lead, 0 if k else send[0])
        if k:
            bound = max(bound, starts[k - 1] + spacing[k - 1], ends[k - 1])
            gap = starts[k] - max(ends[k - 1], starts[k - 1] + need[k - 1])
            if gap >= close:
                bound = max(bound, starts[k] - (gap - close))
            else:
                target = min(target, starts[k] - min(gap, tail))
        early = starts[k] - max(target, bound)
        if early <= 0:
            continue
        shown_until = max(last, starts[k] - early + need[k])
        if k + 1 < n and (starts[k + 1] - shown_until < close or starts[k + 1] > said[k + 1]):
            continue   # up until the next anyway: appearing early would gain nothing
        starts[k] -= early

    out: list[Cue] = []
    for k, cue in enumerate(cues):
        start = starts[k]
        read = max(ends[k], start + need[k])   # through its words and its reading time
        end = max(read, ends[k] + trail[k])
        if k + 1 < n:
            following = starts[k + 1]
            if following - read < close or following > said[k + 1]:   # not by the trail
                end = following   # a short gap, or the next shown late: up until replaced
            end = min(end, following)
        end = min(end, start + longest)
        out.append(Cue(_seconds(start, tick), _seconds(end, tick), cue.lines))
    return out


def trail(words: Sequence[Token]) -> float:
    """Return how long a cue showing `words` may stay past its last word: TRAIL, or none
    where that word already holds its fade.

    A word's end is fitted to its last sound loud over the room's noise, and a voice fading
    under the noise goes on past it: such a word lasts no longer than its letters take at the
    pace of the words around it. A last word that runs on past that by TRAIL or more holds
    the end of its sound already (a reverberant room's ring fitted into it, dev 2109, or a
    long drawn-out vowel); the caption staying longer would stay over the ring and the pause.
    """
    said = [w for w in words if w.end > w.start]
    if not said:
        return TRAIL
    letters = [max(spoken.letters(w.text), 1) for w in said]
    pace = sum(w.end - w.start for w in said) / sum(letters)
    last = said[-1]
    beyond = (last.end - last.start) - pace * letters[-1]
    return 0.0 if beyond >= TRAIL - 1e-9 else TRAIL


def due(cues: Sequence[Cue]) -> list[float]:
    """Return when each cue (timed by its words) is due on screen.

    ONSET before its first word; ONSET_AFTER_PAUSE when it follows a pause the cue before
    does not close (CLOSE_GAP or more).
    """
    return [c.start - (ONSET_AFTER_PAUSE if k and c.start - cues[k - 1].end >= CLOSE_GAP
                       else ONSET)
            for k, c in enumerate(cues)]


def _seconds(ticks: int, tick: float) -> float:
    # Divided by the ticks a second, so a millisecond grid gives 3.3, not 3.3000000000000003.
    return ticks / (1 / tick)


def _chars(cue: Cue) -> int:
    # What is read: the characters of the lines (a line break is none).
    return sum(len(line) for line in cue.lines)


def reading_rate(cue: Cue) -> float:
    """Return the characters a second a viewer must read to follow `cue`."""
    return _chars(cue) / max(cue.duration, 1e-9)


def too_fast(cues: Sequence[Cue], rules: CueRules) -> list[tuple[float, float, float]]:
    """Return (start, end, highest reading rate) of each stretch where cues exceed `max_cps`.

    After `display` that happens only where speech left no room to keep the rule.
    """
    spans: list[tuple[float, float, float]] = []
    for cue in cues:
        rate = reading_rate(cue)
        if rate <= rules.max_cps * (1 + 1e-6):
            continue
        if spans and cue.start - spans[-1][1] < FAST_JOIN:
            first, _, worst = spans[-1]
            spans[-1] = (first, cue.end, max(worst, rate))
        else:
            spans.append((cue.start, cue.end, rate))
    return spans
