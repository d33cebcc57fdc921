"""Display times: long enough to read, on the format's time grid, never overlapping."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archivist.domain.captions import timing
from archivist.domain.captions.cues import Cue
from archivist.domain.captions.settings import CueRules
from tests.examples import examples

FRAME = 1001 / 30000
FORTY = ("Forty characters of caption text go here",)   # 40 characters: 2 s at 20 cps


def due_at(start: float, end: float, lines: tuple[str, ...]) -> Cue:
    """A cue due on screen at `start`: its first word is said ONSET later."""
    return Cue(start + timing.ONSET, end, lines)


def due_after_pause(start: float, end: float, lines: tuple[str, ...]) -> Cue:
    """A cue after a pause, due on screen at `start`: its first word is said
    ONSET_AFTER_PAUSE later."""
    return Cue(start + timing.ONSET_AFTER_PAUSE, end, lines)


def test_times_are_whole_frames_and_rounding_never_cuts_reading_time():
    cues = [due_at(1.2345, 1.9, FORTY), due_at(10.01, 10.5, ("Next.",))]
    shown = timing.display(cues, CueRules(), tick=FRAME)
    for cue in shown:
        for t in (cue.start, cue.end):
            assert t / FRAME == pytest.approx(round(t / FRAME), abs=1e-6)
    first = shown[0]
    frames = round(first.end / FRAME) - round(first.start / FRAME)
    assert 40 / (frames * FRAME) <= 20.0


def test_caption_stays_up_through_a_short_gap_and_not_a_long_one():
    rules = CueRules()
    a, b = timing.display([due_at(1.0, 3.0, ("One.",)), due_at(3.3, 5.0, ("Two.",))], rules)
    assert a.end == b.start == 3.3
    a, b = timing.display([due_at(1.0, 3.0, ("One.",)), due_after_pause(4.0, 5.0, ("Two.",))],
                          rules)
    assert a.end == pytest.approx(3.0 + timing.TRAIL) and b.start == 4.0


def test_a_caption_stays_up_while_its_last_word_trails_off_without_closing_the_pause():
    # Held 2204, slow speech in noise: the voice goes on after the fitted end of a sentence's
    # last word. The caption stays TRAIL longer; a pause left open by the words stays open.
    rules = CueRules()
    pause = timing.CLOSE_GAP + timing.TRAIL / 2   # open by the words, not once trailed
    a, b = timing.display([due_at(1.0, 3.0, ("One.",)),
                           due_after_pause(3.0 + pause, 6.0, ("Two.",))], rules)
    assert a.end == pytest.approx(3.0 + timing.TRAIL)
    assert b.start == pytest.approx(3.0 + pause)
    # A caption already up longer than that to be read is not held longer.
    a, _ = timing.display([due_at(1.0, 1.2, FORTY), due_after_pause(8.0, 9.0, ("Next.",))], rules)
    assert a.duration == pytest.approx(2.0)


def test_a_caption_extends_into_the_gap_after_it_to_be_read():
    a, b = timing.display([due_at(1.0, 1.5, FORTY), due_after_pause(5.0, 6.0, ("Next.",))],
                          CueRules())
    # 40 characters at 20 cps; centred on its words as far as CENTRED_LEAD lets it.
    first_word = 1.0 + timing.ONSET
    assert a.start == pytest.approx(first_word - timing.CENTRED_LEAD)
    assert a.duration == pytest.approx(2.0)
    assert b.start == 5.0


def test_a_short_answer_held_for_the_minimum_is_centred_on_its_word():
    # "Second." said from 10.0 to 10.4 between long pauses: up 1 s, not 0.85 s after it.
    rules = CueRules()
    before, second, after = timing.display(
        [Cue(5.0, 8.0, ("I move to approve the minutes.",)), Cue(10.0, 10.4, ("Second.",)),
         Cue(13.0, 15.0, ("All in favor?",))], rules)
    assert second.duration == pytest.approx(rules.min_duration)
    assert second.start == pytest.approx(10.0 - 0.3)      # centred: 10.2 - 0.5
    assert second.start >= before.end and second.end <= after.start
    # Right after the words before it, it appears when due: never over another's words.
    _, second, _ = timing.display(
        [Cue(5.0, 9.9, ("I move to approve the minutes.",)), Cue(10.0, 10.4, ("Second.",)),
         Cue(11.2, 12.0, ("All in favor?",))], rules)
    assert second.start == pytest.approx(10.0 - timing.ONSET)


def test_a_caption_that_needs_reading_time_takes_the_short_gap_before_it():
    # "One." is read by the time its word ends; the next needs 2 s for 40 characters. The
    # 0.35 s gap between them is closed by showing the next one early, not by holding "One."
    # over the silence.
    one, forty = timing.display([Cue(1.0, 2.0, ("One.",)), Cue(2.5, 3.0, FORTY)], CueRules())
    assert one.end == forty.start == pytest.approx(2.0)
    assert forty.duration == pytest.approx(2.0)


def test_the_next_caption_is_shifted_a_little_later_to_let_one_be_read():
    next_due = 3.0 - timing.MAX_DELAY / 2
    a, b = timing.display([due_at(1.0, 1.5, FORTY),
                           due_after_pause(next_due, 3.5, ("Then more words.",))], CueRules())
    assert (a.start, a.end) == (1.0, 3.0)
    assert b.start == 3.0 and b.start - next_due <= timing.MAX_DELAY


def test_a_caption_appears_a_little_early_when_shifting_the_next_is_not_enough():
    # The next is due so soon that 40 characters fit only if this one comes early too.
    next_due = 3.0 - timing.MAX_DELAY - timing.LEAD / 2
    a, b = timing.display([due_at(1.0, 1.5, FORTY),
                           due_after_pause(next_due, 3.5, ("Then more words.",))], CueRules())
    assert a.start == pytest.approx(1.0 - timing.LEAD / 2)
    assert a.end == b.start == pytest.approx(next_due + timing.MAX_DELAY)
    assert timing.reading_rate(a) == pytest.approx(20.0)
    assert timing.too_fast([a, b], CueRules()) == []


def test_speech_too_fast_for_the_rule_is_found_with_its_span():
    rules = CueRules()
    next_due = 3.0 - timing.MAX_DELAY - timing.LEAD - 0.4
    a, b = timing.display([due_at(1.0, 1.5, FORTY), due_at(next_due, 3.5, ("Then more words.",))],
                          rules)
    # Early and late by the most allowed, and still only 1.6 s for 40 characters.
    assert a.start == pytest.approx(1.0 - timing.LEAD)
    assert a.end == b.start == pytest.approx(next_due + timing.MAX_DELAY)
    [(start, end, worst)] = timing.too_fast([a, b], rules)
    assert (start, end) == (a.start, a.end) and worst == pytest.approx(40 / 1.6)
    # However far behind the reading falls, a caption is never more than MAX_DELAY late
    # while the speech leaves each caption the least time to be seen.
    cues = [due_at(1.0 + 0.5 * k, 1.4 + 0.5 * k, FORTY) for k in range(10)]
    shown = timing.display(cues, rules)
    assert all(x.end <= y.start for x, y in zip(shown, shown[1:]))
    assert all(c.duration >= timing.MIN_SHOWN - 1e-9 for c in shown[:-1])
    assert len(timing.too_fast(shown, rules)) == 1


def test_scc_cues_leave_the_time_to_send_the_next_one():
    def load(lines):
        return 1.5

    shown = timing.display([due_at(1.0, 1.2, ("Yes.",)), due_at(1.4, 2.0, ("No, not yet.",))],
                           CueRules(), tick=FRAME, load=load)
    assert shown[1].start - shown[0].start >= 1.5 - 1e-9


# -- properties: the rules hold for any word timings ------------------------------------------

TEXTS = st.sampled_from([("Yes.",), ("Second.",), FORTY, ("Item 7 on the consent agenda,",),
                         ("Council Member Lopez moved to", "approve the minutes as read.")])


@st.composite
def said_cues(draw):
    """Cues timed by their words, in order: sparse to faster than anyone can read."""
    t = draw(st.floats(0, 5))
    out = []
    for _ in range(draw(st.integers(1, 30))):
        t += draw(st.one_of(st.floats(0, 0.3), st.floats(0, 3)))
        said = draw(st.floats(0.1, 3.0))
        out.append(Cue(t, t + said, draw(TEXTS)))
        t += said
    return out


def room(cues, rules, tick, load) -> bool:
    """Whether a timing exists that keeps every rule (an independent, earliest-first check)."""
    def up(x):
        return math.ceil(x / tick - 1e-6)

    need = [min(up(max(sum(map(len, c.lines)) / rules.max_cps, rules.min_duration)),
                math.floor(rules.max_duration / tick + 1e-6)) for c in cues]
    send = [up(load(c.lines)) if load else 0 for c in cues]
    due = timing.due(cues)
    earliest = None
    for k in range(len(cues)):
        said = round(due[k] / tick)
        # The first is sent from the start of the recording; each next after the one before.
        after = send[0] if earliest is None else earliest + max(need[k - 1], send[k])
        lo = max(said - round(timing.LEAD / tick), 0, after)
        if lo > said + round(timing.MAX_DELAY / tick):
            return False
        earliest = lo
    return True


@settings(max_examples=examples(300), deadline=None)
@given(said_cues(), st.sampled_from([CueRules(), CueRules(max_cps=15, min_duration=2.0)]),
       st.sampled_from([0.001, FRAME]), st.booleans())
def test_no_overlap_ever_and_the_reading_rate_kept_wherever_there_is_room(cues, rules, tick,
                                                                        sending):
    def load(lines):
        return 0.2 + 0.03 * sum(map(len, lines))

    shown = timing.display(cues, rules, tick, load if sending else None)
    assert [c.lines for c in shown] == [c.lines for c in cues]
    assert all(a.end <= b.start for a, b in zip(shown, shown[1:]))
    assert all(0 < c.duration <= rules.max_duration + 1e-9 for c in shown)
    if sending:
        assert all(b.start - a.start >= load(b.lines) - 1e-9 for a, b in zip(shown, shown[1:]))
    fast = timing.too_fast(shown, rules)
    if room(cues, rules, tick, load if sending else None):
        assert fast == []
        assert all(timing.reading_rate(c) <= rules.max_cps * (1 + 1e-6) for c in shown)
        for due, cue in zip(timing.due(cues), shown):
            slack = tick + 1e-9   # the window, in whole ticks
            assert due - timing.LEAD - slack <= cue.start <= due + timing.MAX_DELAY + slack
        # Every word is on screen while it is said (in its caption, or the one before).
        spans = [(c.start, c.end) for c in shown]
        for said in cues:   # (but the first: nothing shows before it is sent)
            assert covered(max(said.start, shown[0].start), said.end, spans, tick)
    else:
        # Some rule had to give: the reading rate (reported), the minimum duration, or the
        # time to send a caption (it shows late).
        short = [c for c in shown[:-1] if c.duration < rules.min_duration - 1e-9]
        late = [c for c, due in zip(shown, timing.due(cues))
                if c.start > due + timing.MAX_DELAY + tick]
        assert fast or short or late


def covered(start: float, end: float, spans, tick: float) -> bool:
    # Within half a tick: times are rounded to the format's grid.
    t, slack = start, tick / 2 + 1e-6
    for a, b in spans:
        if a <= t + slack < b + slack:
            t = b
    return t >= end - slack
