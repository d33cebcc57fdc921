"""Browser copies ("proxies"): a small H.264/AAC MP4 of each recording a browser cannot play,
kept in the data dir under a size cap, the least recently used given up first.

`Playback` decides what the player gets for a recording: its own file, its copy, or words
saying why there is nothing to play (file gone, copy being made, copy failed).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archivist.domain.errors import MediaError, NotFound
from archivist.domain.models import Job
from archivist.domain.ports import JobQueue, MediaLibrary, Repository


class CopyState(enum.StrEnum):
    READY = "ready"
    MAKING = "making"
    FAILED = "failed"
    ABSENT = "absent"


@dataclass(frozen=True, slots=True)
class CopyStatus:
    """Where a recording's copy is: ready at `path`, being made, failed (`why`), or absent."""

    state: CopyState
    path: Path | None = None
    why: str = ""


@dataclass(frozen=True, slots=True)
class CachedCopy:
    """A copy on the shelf: its key, its size, and when it was last played (epoch seconds)."""

    key: str
    size: int
    used_at: float


class BrowserCopies(Protocol):
    """The shelf of copies and the tool that makes them (ffmpeg)."""

    def browser_plays(self, media: Path) -> bool:
        """True when a browser plays the file as it is; NotFound when it is gone,
        MediaError when it cannot be read as media."""
        ...

    def status(self, key: str) -> CopyStatus: ...

    def make(self, media: Path, key: str) -> CopyStatus:
        """Make the copy (atomically: readers never see half a file); the status after."""
        ...

    def used(self, key: str) -> None:
        """Note that the copy was just played (the cap gives up the least recently used)."""
        ...

    def shelf(self) -> list[CachedCopy]: ...
    def remove(self, key: str) -> None: ...


class Source(enum.StrEnum):
    FILE = "file"          # the recording itself
    COPY = "copy"          # its browser copy
    MAKING = "making"      # nothing yet: the copy is being made
    FAILED = "failed"      # nothing: the copy could not be made
    MISSING = "missing"    # nothing: the file is gone


@dataclass(frozen=True, slots=True)
class Playable:
    """What the player gets for a recording, and what to tell the person if nothing."""

    source: Source
    path: Path | None = None
    message: str = ""

    @property
    def plays(self) -> bool:
        return self.path is not None


def to_evict(shelf: Sequence[CachedCopy], cap_bytes: int, keep: str = "") -> list[str]:
    """Keys to remove, least recently used first, until the shelf fits in `cap_bytes`
    (never `keep`, the copy just made)."""
    total = sum(c.size for c in shelf)
    out = []
    for copy in sorted(shelf, key=lambda c: (c.used_at, c.key)):
        if total <= cap_bytes:
            break
        if copy.key == keep:
            continue
        out.append(copy.key)
        total -= copy.size
    return out


def copy_key(recording_id: int) -> str:
    return f"recording-{recording_id}"


class Playback:
    """Chooses what plays; makes copies when asked (a worker's task) and keeps under the cap."""

    def __init__(self, copies: BrowserCopies, repository: Repository, library: MediaLibrary,
                 cap_bytes: int, queue: Callable[[], JobQueue] | None = None) -> None:
        self._copies = copies
        self._repo = repository
        self._library = library
        self._cap = cap_bytes
        self._queue = queue   # built only when a copy is asked for (a web page rarely does)

    def paths(self, recording_id: int) -> list[Path]:
        """Where the recording's file may be, on a city mount only: its latest job's path
        first (a moved file is found again there), then where it was first seen."""
        recording = self._repo.recording(recording_id)
        if recording is None:
            raise NotFound(f"no recording {recording_id}")
        latest = self._repo.latest_job(recording_id)
        candidates = [Path(p) for p in ((latest.path if latest else None), recording.path) if p]
        return [p for p in dict.fromkeys(candidates) if self._library.city_of(p) is not None]

    def playable(self, recording_id: int, ask: bool = False) -> Playable:
        """What plays for the recording; with `ask`, a missing copy is requested from the
        workers (a page is waiting for it)."""
        media = self._present(self.paths(recording_id))
        if media is None:
            return Playable(Source.MISSING, message="The recording's file is not on the city's "
                                                    "storage any more, so it cannot be played. "
                                                    "The transcript is below.")
        try:
            if self._copies.browser_plays(media):
                return Playable(Source.FILE, media)
        except MediaError as exc:
            return Playable(Source.FAILED, message=f"This recording cannot be played: {exc.reason}.")
        status = self._copies.status(copy_key(recording_id))
        if status.state is CopyState.READY and status.path is not None:
            return Playable(Source.COPY, status.path)
        if status.state is CopyState.FAILED:
            return Playable(Source.FAILED, message="A version of this recording for web browsers "
                                                   f"could not be made ({status.why}).")
        if status.state is CopyState.ABSENT and ask and self._queue is not None:
            self._queue().make_playable(recording_id)
        return Playable(Source.MAKING, message="This recording's format does not play in web "
                                               "browsers; a version that does is being made. "
                                               "Reload in a few minutes.")

    def make(self, recording_id: int) -> CopyStatus:
        """Make the recording's copy if a browser needs one; then keep the shelf under its cap."""
        media = self._present(self.paths(recording_id))
        if media is None:
            raise NotFound(f"recording {recording_id}: its file is gone")
        if self._copies.browser_plays(media):
            return CopyStatus(CopyState.ABSENT, why="a browser plays the file as it is")
        key = copy_key(recording_id)
        status = self._copies.status(key)
        if status.state is not CopyState.READY:
            status = self._copies.make(media, key)
        self.evict(keep=key)
        return status

    def catch_up(self, jobs: Sequence[Job]) -> list[int]:
        """Recordings of these (succeeded) jobs whose copy a browser needs and nobody made."""
        wanted = []
        for recording_id in dict.fromkeys(j.recording_id for j in jobs):
            try:
                media = self._present(self.paths(recording_id))
                if media is None or self._copies.browser_plays(media):
                    continue
            except (NotFound, MediaError):
                continue
            if self._copies.status(copy_key(recording_id)).state is CopyState.ABSENT:
                wanted.append(recording_id)
        return wanted

    def played(self, recording_id: int) -> None:
        self._copies.used(copy_key(recording_id))

    def evict(self, keep: str = "") -> list[str]:
        gone = to_evict(self._copies.shelf(), self._cap, keep)
        for key in gone:
            self._copies.remove(key)
        return gone

    def _present(self, paths: Sequence[Path]) -> Path | None:
        for path in paths:
            try:
                self._copies.browser_plays(path)
            except NotFound:
                continue
            except MediaError:
                return path
            return path
        return None
