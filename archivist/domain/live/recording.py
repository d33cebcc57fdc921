"""Which recording a live session became: the city's recording made while the session ran.

When the meeting's recording lands on the city's mount, it is linked to the live session by
time. A recorder writes the file while the meeting runs, so the file's last change (its mtime)
is when the recording ended, and its duration says when it began: the session's recording is
the one whose span overlaps the session's (with some slack, the recorder and the live feed
starting apart), the most. One that ended before the session began is an earlier meeting's
(the work session before a council meeting), whatever the slack. A file copied there later
has a later mtime and overlaps nothing; then the date in its name decides, if exactly one
recording of the city has the session's day (its UTC day, or the day before: an evening meeting
in UTC is the next day). Once the linked recording is captioned, its captions (reviewed, and
sent to Cablecast) replace the live ones.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

# How far apart the recorder and the live feed may start or stop and still be one meeting.
SLACK = dt.timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class SessionSpan:
    """When a live session ran."""

    city: str
    name: str
    started: dt.datetime
    ended: dt.datetime   # when it ended, else its last word, else when it began


@dataclass(frozen=True, slots=True)
class Landed:
    """A recording on a city's mount, as linking needs it."""

    recording_id: int
    path: str
    finished: dt.datetime | None   # its file's last change: when the recorder stopped
    duration: float | None


class LiveLinks(Protocol):
    """Sessions not linked yet, the recordings they may be, and the link (the database)."""

    def unlinked(self) -> list[SessionSpan]:
        """Every session of the last fortnight kept with no recording yet (an older one will
        not become one)."""

    def landed(self, city: str, since: dt.datetime) -> list[Landed]:
        """The city's recordings catalogued since `since`, but for those whose every job failed
        (an empty file, not media: no meeting's recording)."""

    def link(self, city: str, name: str, recording_id: int) -> None:
        """Note that the session became this recording."""


def recording_of(session: SessionSpan, landed: Sequence[Landed],
                 held: Callable[[str], dt.date | None]) -> int | None:
    """The id of the recording `session` became, if it has landed; `held(path)` is the date in
    a recording's name."""
    overlaps = []
    for each in landed:
        if each.finished is None or each.finished <= session.started:
            continue   # an earlier meeting's recording: it stopped before this one began
        began = each.finished - dt.timedelta(seconds=each.duration or 0.0)
        overlap = (min(session.ended + SLACK, each.finished)
                   - max(session.started - SLACK, began)).total_seconds()
        if overlap >= 0:   # a recording of unknown length is the moment it ended
            overlaps.append((overlap, each.recording_id))
    if overlaps:
        return max(overlaps)[1]
    later = [each for each in landed if each.finished is None or each.finished > session.ended]
    day = session.started.date()
    for date in (day, day - dt.timedelta(days=1)):
        found = [each.recording_id for each in later if held(each.path) == date]
        if len(found) == 1:
            return found[0]
        if found:
            return None   # two meetings that day: not a guess
    return None


def link_landed(links: LiveLinks, held: Callable[[str, str], dt.date | None]) -> int:
    """Link every unlinked session to the recording it became, where one has landed; the
    number linked. `held(city, path)` is the date in a recording's name."""
    done = 0
    for session in links.unlinked():
        landed = links.landed(session.city, session.started - dt.timedelta(days=1))
        found = recording_of(session, landed, functools.partial(held, session.city))
        if found is not None:
            links.link(session.city, session.name, found)
            done += 1
    return done
