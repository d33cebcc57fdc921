"""A finished live session is linked to the recording of the same city and day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archivist.domain.live.recording import recording_of, session_day


@dataclass(frozen=True)
class Held:
    recording_id: int
    held: dt.date | None
    transcribed: bool = True


def test_the_meeting_held_that_day_is_the_sessions_recording():
    meetings = [Held(1, dt.date(2026, 12, 4)), Held(2, dt.date(2026, 12, 5))]
    assert recording_of("20261205T010000Z", meetings).recording_id == 2


def test_an_evening_meeting_in_utc_is_the_local_day_before():
    meetings = [Held(7, dt.date(2026, 12, 4))]
    assert recording_of("20261205T013000Z", meetings).recording_id == 7


def test_not_yet_captioned_or_another_day_is_no_link():
    assert recording_of("20261205T013000Z", [Held(3, dt.date(2026, 12, 5), False)]) is None
    assert recording_of("20261205T013000Z", [Held(4, dt.date(2026, 12, 1))]) is None
    assert recording_of("not-a-session", [Held(4, dt.date(2026, 12, 1))]) is None
    assert session_day("20261205T215642Z") == dt.date(2026, 12, 5)
