"""Which recording a live session became: the city's meeting held on the session's day.

A live session and the recording that lands on the mount afterwards share a city and a day
(the day in the recording's name, else the day it was first seen). The session's start is in
UTC and an evening meeting's UTC day may be the day after its local one, so the day before
counts too, the same day first. Once that recording is captioned, its captions (reviewed, and
sent to Cablecast) replace the live ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol


class HeldMeeting(Protocol):
    """A meeting as the archive lists it (domain.meetings.archive.Meeting)."""

    @property
    def recording_id(self) -> int: ...
    @property
    def held(self) -> dt.date | None: ...
    @property
    def transcribed(self) -> bool: ...


def session_day(name: str) -> dt.date | None:
    """The UTC day a session began, from its name (`20261205T215642Z`)."""
    try:
        return dt.datetime.strptime(name, "%Y%m%dT%H%M%SZ").date()
    except ValueError:
        return None


def recording_of(session: str, meetings: Sequence[HeldMeeting]) -> HeldMeeting | None:
    """The captioned meeting the session `session` became, if one has landed."""
    day = session_day(session)
    if day is None:
        return None
    for held in (day, day - dt.timedelta(days=1)):
        found = [m for m in meetings if m.held == held and m.transcribed]
        if found:
            return max(found, key=lambda m: m.recording_id)   # the newest of that day
    return None
