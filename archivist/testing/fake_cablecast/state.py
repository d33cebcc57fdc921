"""What the fake Cablecast knows: locations, file stores, shows, VODs, chapters and uploads.

Records are kept as Cablecast writes them (camelCase JSON), so the API layer serves them as is.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

UPLOAD_ERROR, UPLOADING, UPLOAD_COMPLETE, POST_PROCESSING, TRANSFERRING, FINISHED = range(6)


@dataclass
class State:
    """The fake's records. Hold `lock` while reading or changing them."""

    locations: dict[int, Record] = field(default_factory=dict)
    filestores: dict[int, Record] = field(default_factory=dict)
    shows: dict[int, Record] = field(default_factory=dict)
    vods: dict[int, Record] = field(default_factory=dict)
    chapters: dict[int, Record] = field(default_factory=dict)
    uploads: dict[int, Record] = field(default_factory=dict)
    segments: dict[int, dict[int, bytes]] = field(default_factory=dict)
    files: dict[tuple[int, str], bytes] = field(default_factory=dict)   # (store id, name)
    users: dict[str, str] = field(default_factory=lambda: {"archivist": "secret"})
    page_cap: int = 25            # the most records one page holds, whatever page_size asks
    offset_is_page: bool = False  # read `offset` as a page number, as some servers do
    lock: threading.RLock = field(default_factory=threading.RLock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(5000))

    def next_id(self) -> int:
        return next(self._ids)

    def add_show(self, title: str, event_date: str, location: int = 3, show_id: int | None = None,
                 vod_file: str | None = None) -> Record:
        """Add a show (and a VOD of `vod_file`, when given); returns the show record."""
        with self.lock:
            show_id = show_id if show_id is not None else self.next_id()
            show = {"id": show_id, "title": title, "cgTitle": title, "cgExempt": False,
                    "comments": "", "eventDate": event_date, "location": location,
                    "project": None, "producer": None, "category": None, "reels": [],
                    "vods": [], "customFields": [], "hasCaptions": False,
                    "lastModified": event_date, "totalRunTime": 0}
            self.shows[show_id] = show
            if vod_file is not None:
                self.add_vod(show_id, vod_file)
            return show

    def add_vod(self, show_id: int, file_name: str) -> Record:
        with self.lock:
            vod_id = self.next_id()
            vod = {"id": vod_id, "show": show_id, "fileName": file_name,
                   "url": f"https://vod.example.org/{vod_id}.mp4", "length": 0,
                   "embedCode": "", "webVtt": f"/cablecastapi/v1/vods/{vod_id}/chapters",
                   "chapters": [], "chaptersPublished": False, "vodConfiguration": 1,
                   "isWatchable": True, "disabled": False, "vodState": "complete",
                   "percentComplete": 100}
            self.vods[vod_id] = vod
            self.shows[show_id]["vods"].append(vod_id)
            return vod

    def live_chapters(self, vod_id: int) -> list[Record]:
        """The VOD's chapters that are not deleted, by offset."""
        with self.lock:
            return sorted((c for c in self.chapters.values()
                           if c["vod"] == vod_id and not c["deleted"]), key=lambda c: c["offset"])


def seeded() -> State:
    """A station with two member cities, their stores and a few meetings."""
    state = State()
    state.locations = {3: {"id": 3, "name": "Riverton"}, 5: {"id": 5, "name": "Eastfield"}}
    state.filestores = {7: {"id": 7, "name": "Riverton VOD store"},
                        9: {"id": 9, "name": "Eastfield VOD store"}}
    state.add_show("Riverton City Council", "2026-11-03T19:00:00-06:00", 3, 1001,
                   "1001-1-Riverton City Council (20261103).mp4")
    state.add_show("Riverton School Board Work Session", "2026-11-05T18:00:00-06:00", 3, 1002,
                   "1002-1-Riverton School Board Work Session (20261105).mp4")
    state.add_show("Riverton City Council", "2026-11-17T19:00:00-06:00", 3, 1003,
                   "1003-1-Riverton City Council (20261117).mp4")
    state.add_show("Eastfield Park Board", "2026-11-12T18:30:00-06:00", 5, 88,
                   "Eastfield Park Board (20261112).mp4")
    state.add_show("Eastfield Park Board", "2026-10-08T18:30:00-05:00", 5, 87,
                   "Eastfield Park Board (20261008).mp4")
    # Two shows of one meeting (a re-air entered twice): only staff can choose.
    state.add_show("Eastfield Planning Commission", "2026-11-19T19:00:00-06:00", 5, 90,
                   "Eastfield Planning Commission (20261119).mp4")
    state.add_show("Eastfield Planning Commission", "2026-11-19T19:00:00-06:00", 5, 91)
    return state
