"""Linking a recording to its Cablecast show, and saying why.

Cablecast's own rule comes first: a file named `<ShowID>-<Reel>-anything.ext` belongs to that
show. Otherwise the file name's title and event date (`Eastfield Park Board (20261112).mp4`)
are searched for, and only an unambiguous match is taken: a wrong link would put one meeting's
captions on another's video.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archivist.domain.ports import VodPlatform
    from archivist.domain.publishing.vod import Show

# A reel is a small number; "2026-11-12 Park Board" is a date, not show 2026 reel 11.
_SHOW_ID = re.compile(r"^(?P<show>\d+)-(?P<reel>\d{1,3})-(?!\d{1,2}(?:\D|$))")
# "Title (20261112)" or "Title (2026-11-12)", the date last in the name.
_TITLE_DATE = re.compile(r"^(?P<title>.*?)[\s_-]*\(\s*(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})\s*\)")


@dataclass(frozen=True, slots=True)
class Link:
    """The show a recording belongs to (None when none could be chosen) and the reason."""

    show_id: int | None
    reason: str


def show_id_in_name(name: str) -> int | None:
    """The show id of a `<ShowID>-<Reel>-title.ext` file name, else None."""
    match = _SHOW_ID.match(PurePath(name).name)
    return int(match["show"]) if match else None


def title_and_date(name: str) -> tuple[str, date] | None:
    """The title and event date written in a file name, e.g. ("Eastfield Park Board", 2026-11-12)."""
    stem = PurePath(name).stem
    stem = _SHOW_ID.sub("", stem, count=1)
    match = _TITLE_DATE.match(stem)
    if not match or not match["title"].strip():
        return None
    try:
        when = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return " ".join(match["title"].split()), when


def link(name: str, platform: VodPlatform, chosen: int | None = None,
         location: int | None = None) -> Link:
    """Find the show for a recording named `name`; `chosen` is a show id staff picked."""
    if chosen is not None:
        return Link(chosen, f"chosen by staff: show {chosen}")
    named = show_id_in_name(name)
    if named is not None:
        return Link(named, f"file name names show {named}")
    parsed = title_and_date(name)
    if parsed is None:
        return Link(None, "file name has neither a show id (<ShowID>-<Reel>-title) "
                          "nor a title and date (Title (YYYYMMDD))")
    title, when = parsed
    matches = [s for s in platform.find_shows(title, location=location)
               if _same_title(s.title, title) and s.event_date is not None
               and s.event_date.date() == when]
    said = f'"{title}" on {when.isoformat()}'
    if not matches:
        return Link(None, f"no show titled {said}")
    if len(matches) > 1:
        ids = ", ".join(str(s.id) for s in sorted(matches, key=_by_id))
        return Link(None, f"{len(matches)} shows titled {said} ({ids}): choose one")
    return Link(matches[0].id, f"title and date match show {matches[0].id}")


def _same_title(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def _by_id(show: Show) -> int:
    return show.id
