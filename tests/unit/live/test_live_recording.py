"""A live session is linked to the recording of its city made while it ran."""

from __future__ import annotations

import datetime as dt

from archivist.domain.live.recording import Landed, SessionSpan, link_landed, recording_of

EVENING = dt.datetime(2026, 12, 5, 1, 0, tzinfo=dt.UTC)   # 7 pm the day before, in Chicago
HOUR = dt.timedelta(hours=1)


def session(started: dt.datetime = EVENING, hours: float = 2.0) -> SessionSpan:
    return SessionSpan("Riverton", started.strftime("%Y%m%dT%H%M%SZ"), started,
                       started + dt.timedelta(hours=hours))


def no_name_date(path: str) -> dt.date | None:
    return None


def test_the_recording_written_while_the_session_ran_is_its_recording():
    landed = [Landed(1, "a.mp4", EVENING - 5 * HOUR, 3600.0),          # the afternoon's
              Landed(2, "b.mp4", EVENING + 2 * HOUR, 7200.0),          # this meeting's
              Landed(3, "c.mp4", EVENING + 26 * HOUR, 7200.0)]         # the next day's
    assert recording_of(session(), landed, no_name_date) == 2


def test_of_two_overlapping_recordings_the_one_overlapping_most_wins():
    landed = [Landed(4, "short.mp4", EVENING + dt.timedelta(minutes=10), 900.0),
              Landed(5, "whole.mp4", EVENING + 2 * HOUR, 7000.0)]
    assert recording_of(session(), landed, no_name_date) == 5


def test_a_recorder_that_started_a_little_late_or_stopped_early_is_still_the_meeting():
    late = Landed(6, "late.mp4", EVENING + 2 * HOUR + dt.timedelta(minutes=15), 600.0)
    assert recording_of(session(), [late], no_name_date) == 6


def test_a_copy_that_landed_later_is_found_by_the_date_in_its_name():
    copied = Landed(7, "Council_2026-12-04.mp4", EVENING + 30 * HOUR, 7000.0)
    dates = {"Council_2026-12-04.mp4": dt.date(2026, 12, 4)}   # the local day: UTC's day before
    assert recording_of(session(), [copied], dates.get) == 7


def test_two_meetings_named_for_that_day_are_not_guessed_between():
    copies = [Landed(8, "Council.mp4", EVENING + 30 * HOUR, 7000.0),
              Landed(9, "Parks.mp4", EVENING + 30 * HOUR, 3000.0)]
    assert recording_of(session(), copies, lambda _path: dt.date(2026, 12, 5)) is None


def test_another_days_recording_or_none_is_no_link():
    assert recording_of(session(), [], no_name_date) is None
    other = Landed(10, "Council_2026-12-01.mp4", EVENING + 30 * HOUR, 7000.0)
    assert recording_of(session(), [other], lambda _path: dt.date(2026, 12, 1)) is None
    earlier = Landed(11, "x.mp4", EVENING - 10 * HOUR, 3600.0)
    assert recording_of(session(), [earlier], lambda _path: dt.date(2026, 12, 5)) is None


class FakeLinks:
    def __init__(self, sessions: list[SessionSpan], landed: dict[str, list[Landed]]) -> None:
        self.sessions, self.by_city, self.links = sessions, landed, {}

    def unlinked(self) -> list[SessionSpan]:
        return [s for s in self.sessions if (s.city, s.name) not in self.links]

    def landed(self, city: str, since: dt.datetime) -> list[Landed]:
        return self.by_city.get(city, [])

    def link(self, city: str, name: str, recording_id: int) -> None:
        self.links[(city, name)] = recording_id


def test_linking_links_each_session_that_found_its_recording_once():
    tonight, tomorrow = session(), session(EVENING + 24 * HOUR)
    links = FakeLinks([tonight, tomorrow], {"Riverton": [Landed(2, "b.mp4", EVENING + 2 * HOUR, 7200.0)]})
    assert link_landed(links, lambda city, path: None) == 1
    assert links.links == {("Riverton", tonight.name): 2}
    assert link_landed(links, lambda city, path: None) == 0   # tomorrow's has not landed


def test_the_meeting_recorded_just_before_the_session_is_not_its_recording():
    # A work session recorded 6:00-6:45 pm lands while the 7 pm meeting is captioned live:
    # it stopped before the session began, so it is another meeting's, not this one's.
    before = Landed(12, "Work Session.mp4", EVENING - dt.timedelta(minutes=15), 2700.0)
    assert recording_of(session(), [before], no_name_date) is None
    this = Landed(13, "Council.mp4", EVENING + 2 * HOUR, 7200.0)
    assert recording_of(session(), [before, this], no_name_date) == 13
