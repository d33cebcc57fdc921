"""Where a live caption's latency goes (the live benches): a word's time from its truth end to
leaving, cut into the time before the session heard it, the decoded end's offset and the
session's own wait; and the replay's words counted by why they were sent."""

from __future__ import annotations

import pytest

from bench import live_parts as lp


def test_a_words_parts_add_up_to_its_latency() -> None:
    # Played from wall 1000; the truth word ends 10 s in; decoded as ending at 10.2 s; its sound
    # reached the session 0.3 s after the player said it; the session held it 1.5 s.
    heard = 1000.0 + 10.2 + 0.3
    part = lp.parts(played=1000.0, truth_end=10.0, sent=heard + 1.5, session=1.5, decoded_end=10.2)
    assert part.before == pytest.approx(0.3)
    assert part.offset == pytest.approx(0.2)
    assert part.session == pytest.approx(1.5)
    assert part.total == pytest.approx(2.0)
    assert part.total == pytest.approx(part.before + part.offset + part.session)


def test_the_summary_gives_each_parts_p50_and_p95() -> None:
    words = [lp.parts(1000.0, 10.0 + k, 1000.0 + 10.0 + k + 2.0, 1.5, 10.0 + k) for k in range(20)]
    text = lp.summary(words)
    assert text.startswith("total 2.00 / 2.00 s")
    assert "heard it 0.50 / 0.50 s" in text
    assert "in the session 1.50 / 1.50 s" in text


def test_words_are_counted_by_why_they_were_sent_most_first() -> None:
    lines = lp.by_why([("step/agreed", 2.0), ("pause/flushed", 1.0), ("step/agreed", 3.0)])
    assert lines[0].startswith("step/agreed")
    assert "2 ( 67%)" in lines[0] and "p50 2.50" in lines[0] and "max 3.00 s" in lines[0]
    assert "two decodes agreed" in lines[0]
    assert lines[1].startswith("pause/flushed") and "at a pause" in lines[1]
