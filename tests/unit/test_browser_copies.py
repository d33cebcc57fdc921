"""Browser copies: what plays, what is made, and the shelf kept under its cap, least recently
played given up first."""

from __future__ import annotations

from pathlib import Path

from archivist.domain.errors import NotFound
from archivist.domain.models import City, Job, JobState, Recording
from archivist.domain.playback.copies import (
    CachedCopy,
    CopyState,
    CopyStatus,
    Playback,
    Source,
    to_evict,
)
from archivist.domain.playback.formats import Streams, browser_plays, media_type
from tests.fakes import ListQueue


def test_the_least_recently_played_go_first_until_the_shelf_fits() -> None:
    shelf = [CachedCopy("a", 400, used_at=30.0), CachedCopy("b", 400, used_at=10.0),
             CachedCopy("c", 400, used_at=20.0), CachedCopy("d", 400, used_at=40.0)]
    assert to_evict(shelf, cap_bytes=1000) == ["b", "c"]
    assert to_evict(shelf, cap_bytes=1600) == []
    assert to_evict(shelf, cap_bytes=0, keep="b") == ["c", "a", "d"]   # never the one just made


def test_transport_streams_and_mpeg2_are_not_for_browsers() -> None:
    assert media_type(".ts") == "video/mp2t" and media_type("MXF") == "application/mxf"
    assert browser_plays("mp4", Streams(("h264",), ("aac",)))
    assert not browser_plays("ts", Streams(("h264",), ("aac",)))
    assert not browser_plays("mov", Streams(("prores",), ("pcm_s24le",)))
    assert not browser_plays("mp4", Streams(("mpeg2video",), ("mp2",)))


class Shelf:
    """BrowserCopies as a dict: files that exist and what browsers make of them."""

    def __init__(self, files: dict[Path, bool]) -> None:
        self.files = files
        self.copies: dict[str, CachedCopy] = {}
        self.clock = 0.0

    def browser_plays(self, media: Path) -> bool:
        if media not in self.files:
            raise NotFound(media.name)
        return self.files[media]

    def status(self, key: str) -> CopyStatus:
        return CopyStatus(CopyState.READY, Path(key)) if key in self.copies else CopyStatus(CopyState.ABSENT)

    def make(self, media: Path, key: str) -> CopyStatus:
        self.clock += 1
        self.copies[key] = CachedCopy(key, 600, self.clock)
        return self.status(key)

    def used(self, key: str) -> None:
        self.clock += 1
        self.copies[key] = CachedCopy(key, 600, self.clock)

    def shelf(self) -> list[CachedCopy]:
        return list(self.copies.values())

    def remove(self, key: str) -> None:
        del self.copies[key]


class Known:
    """The repository and the library, for three recordings on one mount."""

    def __init__(self, paths: dict[int, Path]) -> None:
        self.paths = paths

    def recording(self, recording_id: int) -> Recording | None:
        path = self.paths.get(recording_id)
        return Recording(path, f"h{recording_id}", 1, "Riverton", id=recording_id) if path else None

    def latest_job(self, recording_id: int) -> Job | None:
        return Job(recording_id, self.paths[recording_id], "Riverton", JobState.SUCCEEDED)

    def city_of(self, path: Path) -> City | None:
        return City("Riverton", Path("/mnt")) if str(path).startswith("/mnt/") else None


def test_copies_are_made_for_what_browsers_cannot_play_and_the_cap_holds() -> None:
    paths = {1: Path("/mnt/a.mp4"), 2: Path("/mnt/b.ts"), 3: Path("/mnt/c.ts"), 4: Path("/mnt/gone.ts")}
    shelf = Shelf({paths[1]: True, paths[2]: False, paths[3]: False})
    queue = ListQueue()
    known = Known(paths)
    playback = Playback(shelf, known, known, cap_bytes=1000, queue=lambda: queue)  # type: ignore[arg-type]
    assert playback.playable(1).source is Source.FILE
    waiting = playback.playable(2, ask=True)
    assert waiting.source is Source.MAKING and "being made" in waiting.message and queue.playable == [2]
    missing = playback.playable(4)
    assert missing.source is Source.MISSING and "not on the city's storage" in missing.message
    assert playback.catch_up([Job(1, paths[1]), Job(2, paths[2]), Job(4, paths[4])]) == [2]
    playback.make(2)
    assert playback.playable(2).source is Source.COPY
    playback.make(3)                                   # two copies of 600 bytes: over 1000
    assert set(shelf.copies) == {"recording-3"}
    assert playback.playable(2).source is Source.MAKING   # evicted: made again on demand
