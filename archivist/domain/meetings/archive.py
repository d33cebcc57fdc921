"""A city's archive: every meeting known to the database, named from its file, newest first,
filtered by body and dates, a page at a time.

Residents page through thousands of meetings; the list is read from the database once and
kept (per city) until the database's mark of it changes (a recording added, a transcript
stored or replaced, a job queued, failed or queued again) or `keep_seconds` pass, so a page
costs one small query and a slice.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from archivist.domain.meetings.names import MeetingName, NamePattern

PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class Catalogued:
    """A recording as the database lists it for the archive."""

    recording_id: int
    path: str
    city: str
    first_seen: dt.datetime | None
    duration: float | None
    transcribed: bool
    failed: bool = False       # its latest captioning job failed


class RecordingIndex(Protocol):
    """What the archive reads from the database."""

    def catalogued(self, city: str | None) -> list[Catalogued]:
        """Every recording of `city` (None: of every city), in no particular order."""
        ...

    def catalogue_mark(self, city: str | None) -> tuple[int, ...]:
        """Figures that change whenever what the archive shows of a recording may have: one
        added, a transcript stored or replaced, a job queued, failed or queued again (cheap:
        asked on every page)."""
        ...


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting in the archive: its name, its date, and whether it has a transcript."""

    recording_id: int
    city: str
    title: str
    body: str
    date: dt.date | None
    held: dt.date | None           # the date in its name, else the day it was first seen
    duration: float | None
    transcribed: bool
    failed: bool = False       # its latest captioning job failed


@dataclass(frozen=True, slots=True)
class ArchivePage:
    """One page of a city's meetings and what the filters may choose from."""

    meetings: tuple[Meeting, ...]
    total: int
    page: int
    pages: int
    bodies: tuple[str, ...]


class Names:
    """The naming convention of each city: the station's, or a city's own. Names read are
    remembered (up to REMEMBERED), so an archive read again parses only what is new."""

    REMEMBERED = 100_000

    def __init__(self, default: str = "", cities: Mapping[str, str] | None = None) -> None:
        self._default = NamePattern(default)
        self._cities = {name: NamePattern(p) for name, p in (cities or {}).items() if p}
        self._read: dict[tuple[str, str], MeetingName] = {}

    def read(self, city: str, path: str) -> MeetingName:
        key = (city, path)
        named = self._read.get(key)
        if named is None:
            named = self._cities.get(city, self._default).read(path)
            if len(self._read) >= self.REMEMBERED:
                self._read.clear()
            self._read[key] = named
        return named


class Archive:
    """Lists meetings for residents; reads only."""

    def __init__(self, index: RecordingIndex, names: Names, keep_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._index = index
        self._names = names
        self._keep = keep_seconds
        self._clock = clock
        self._kept: dict[str | None, tuple[tuple[int, ...], float, tuple[Meeting, ...]]] = {}
        self._lock = threading.Lock()

    def name(self, city: str, path: str) -> MeetingName:
        return self._names.read(city, path)

    def page(self, city: str | None = None, body: str | None = None, since: dt.date | None = None,
             until: dt.date | None = None, page: int = 1, per_page: int = PER_PAGE) -> ArchivePage:
        """Page `page` (from 1) of the meetings that pass the filters, newest first."""
        everything = self._meetings(city)
        bodies = tuple(sorted({m.body for m in everything}, key=str.casefold))
        chosen = [m for m in everything
                  if (not body or m.body == body)
                  and (since is None or (m.held is not None and m.held >= since))
                  and (until is None or (m.held is not None and m.held <= until))]
        pages = max(1, -(-len(chosen) // per_page))
        page = min(max(1, page), pages)
        start = (page - 1) * per_page
        return ArchivePage(tuple(chosen[start:start + per_page]), len(chosen), page, pages, bodies)

    def _meetings(self, city: str | None) -> Sequence[Meeting]:
        mark = self._index.catalogue_mark(city)
        now = self._clock()
        with self._lock:
            kept = self._kept.get(city)
            if kept is not None and kept[0] == mark and now - kept[1] < self._keep:
                return kept[2]
        meetings = tuple(sorted((self._meeting(c) for c in self._index.catalogued(city)),
                                key=_newest_first))
        with self._lock:
            self._kept[city] = (mark, now, meetings)
        return meetings

    def _meeting(self, row: Catalogued) -> Meeting:
        named = self._names.read(row.city, row.path)
        seen = row.first_seen.date() if row.first_seen else None
        return Meeting(row.recording_id, row.city, named.title, named.body, named.date,
                       named.date or seen, row.duration, row.transcribed,
                       row.failed)


def _newest_first(m: Meeting) -> tuple[int, int]:
    return (-(m.held.toordinal() if m.held else 0), -m.recording_id)
