"""Drop-frame timecode: labels, their inverse, and drift over long recordings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archivist.domain.captions.timecode import clock, frame_at, label, parse, seconds_at


@pytest.mark.parametrize(("frame", "text"), [
    (0, "00:00:00;00"),
    (29, "00:00:00;29"),
    (1799, "00:00:59;29"),
    (1800, "00:01:00;02"),        # labels ;00 and ;01 are dropped at minute 1
    (17981, "00:09:59;29"),
    (17982, "00:10:00;00"),       # ...but not at each tenth minute
    (17982 + 1800, "00:11:00;02"),
    (107892, "01:00:00;00"),
])
def test_labels(frame, text):
    assert label(frame) == text
    assert parse(text) == frame


def test_minute_one_follows_the_last_frame_of_minute_zero():
    assert label(parse("00:00:59;29") + 1) == "00:01:00;02"


@pytest.mark.parametrize("bad", ["00:01:00;00", "00:01:00;01", "00:00:00;30", "1:2:3",
                                 "ab:cd:ef;gh"])
def test_labels_that_do_not_exist_are_refused(bad):
    with pytest.raises(ValueError):
        parse(bad)


@given(st.integers(min_value=0, max_value=24 * 107892))
def test_parse_inverts_label(frame):
    assert parse(label(frame)) == frame


def test_three_hours_map_within_one_frame_of_the_wall_clock():
    frame = frame_at(3 * 3600)
    assert label(frame) == "03:00:00;00"
    assert abs(seconds_at(frame) - 3 * 3600) < 1001 / 30000
    # And every whole minute of a 3-hour file: the label never strays over 2 frames
    # from the clock (drop-frame corrects at each minute), and never accumulates.
    for minute in range(181):
        hh, mm, ss, ff = (int(x) for x in label(frame_at(60 * minute)).replace(";", ":").split(":"))
        label_seconds = hh * 3600 + mm * 60 + ss + ff / 30
        assert abs(label_seconds - 60 * minute) <= 2 / 30 + 1e-9


def test_frame_numbers_are_exact_not_accumulated():
    assert frame_at(1001 / 30000 * 323_676) == 323_676
    assert frame_at(0.0) == 0 and frame_at(1.0) == 30 and frame_at(60.0) == 1798


def test_clock_for_webvtt_and_srt():
    assert clock(3723.4567) == "01:02:03.457"
    assert clock(0.0, ",") == "00:00:00,000"
    assert clock(59.9996) == "00:01:00.000"
