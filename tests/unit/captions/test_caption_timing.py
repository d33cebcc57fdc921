"""Display times: long enough to read, on the format's time grid, never overlapping."""

from __future__ import annotations

import pytest

from archivist.domain.captions import timing
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules

FRAME = 1001 / 30000
FORTY = ("Forty characters of caption text go here",)   # 40 characters: 2 s at 20 cps


def test_times_are_whole_frames_and_rounding_never_cuts_reading_time():
    cues = [Cue(1.2345, 1.9, FORTY), Cue(10.01, 10.5, ("Next.",))]
    shown = timing.display(cues, CueRules(), tick=FRAME)
    for cue in shown:
        for t in (cue.start, cue.end):
            assert t / FRAME == pytest.approx(round(t / FRAME), abs=1e-6)
    first = shown[0]
    frames = round(first.end / FRAME) - round(first.start / FRAME)
    assert 40 / (frames * FRAME) <= 20.0


def test_caption_stays_up_through_a_short_gap_and_not_a_long_one():
    rules = CueRules()
    a, b = timing.display([Cue(1.0, 3.0, ("One.",)), Cue(3.3, 5.0, ("Two.",))], rules)
    assert a.end == b.start == 3.3
    a, b = timing.display([Cue(1.0, 3.0, ("One.",)), Cue(4.0, 5.0, ("Two.",))], rules)
    assert a.end == 3.0 and b.start == 4.0


def test_fast_speech_delays_the_next_caption_a_little_for_reading():
    rules = CueRules()
    # Forty characters said in half a second, the next words a second later.
    a, b = timing.display([Cue(1.0, 1.5, FORTY), Cue(2.0, 3.5, ("Then more words.",))], rules)
    assert a.end == b.start == pytest.approx(2.0 + timing.MAX_LAG)
    assert b.end >= 3.5
    # Never more than MAX_LAG late, however far behind the reading falls.
    cues = [Cue(1.0 + 0.5 * k, 1.4 + 0.5 * k, FORTY) for k in range(10)]
    shown = timing.display(cues, rules)
    for cue, said in zip(shown, cues):
        assert cue.start - said.start <= timing.MAX_LAG + 1e-9
    assert all(x.end <= y.start for x, y in zip(shown, shown[1:]))
