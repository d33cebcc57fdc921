"""Ports: what the domain needs from the outside world, as Protocols.

Adapters satisfy these without inheriting from them; the container picks which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from archivist.domain.health import ProbeResult
from archivist.domain.models import Job, JobState, Recording, Transcript
from archivist.domain.vod import Chapter, Show

# Called with (fraction done 0..1, seconds of media processed); may be called often.
Progress = Callable[[float, float], None]
# Returns True when the job should stop as soon as it can.
CancelCheck = Callable[[], bool]


class Transcriber(Protocol):
    """Turns a recording into timed words."""

    @property
    def model_name(self) -> str: ...

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck) -> Transcript:
        """Transcribe one file; raise MediaError for unusable media, Cancelled when asked to stop."""
        ...


class Repository(Protocol):
    """Recordings, jobs and transcripts, kept in the database. Each call is one transaction."""

    def add_recording(self, recording: Recording) -> Recording: ...
    def recording(self, recording_id: int) -> Recording | None: ...
    def recording_by_hash(self, content_hash: str) -> Recording | None: ...
    def add_job(self, job: Job) -> Job: ...
    def job(self, job_id: int) -> Job | None: ...
    def save_job(self, job: Job) -> None: ...
    def jobs(self, state: JobState | None = None, limit: int = 50) -> list[Job]: ...
    def latest_job(self, recording_id: int) -> Job | None: ...
    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None: ...
    def transcript(self, recording_id: int) -> Transcript | None: ...


class MediaLibrary(Protocol):
    """The station's mounted storage: recordings and the sidecars beside them."""

    def fingerprint(self, path: Path) -> str:
        """Content hash of a recording (hex), the same wherever the file is mounted."""
        ...

    def size(self, path: Path) -> int: ...

    def write_sidecar(self, path: Path, content: str) -> Path:
        """Write a file atomically: readers see the old file or the whole new one, never half."""
        ...

    def cities(self) -> Sequence[tuple[str, Path]]: ...


class JobQueue(Protocol):
    """Carries job ids to workers; the database stays the source of truth."""

    def enqueue(self, job_id: int, priority: int = 5) -> None: ...
    def revoke(self, job_id: int) -> None: ...


class VodPlatform(Protocol):
    """The station's VOD server (Cablecast): shows, their VODs, chapters and sidecar delivery.

    Calls raise GatewayUnavailable when the server does not answer, NotFound for an unknown id,
    CablecastError when it refuses. Writes may be repeated safely: a chapter or an upload that
    the server already has is found, not made twice.
    """

    def find_shows(self, text: str, location: int | None = None) -> list[Show]:
        """Every show whose title matches `text` (the server's search), with its VODs."""
        ...

    def show(self, show_id: int) -> Show:
        """One show with its VODs; NotFound if there is none."""
        ...

    def chapters(self, vod_id: int) -> list[Chapter]:
        """The VOD's chapters that are not deleted, by offset."""
        ...

    def add_chapter(self, vod_id: int, chapter: Chapter) -> Chapter:
        """Add a chapter (or return the identical one the VOD already has), with its id."""
        ...

    def update_chapter(self, vod_id: int, chapter: Chapter) -> Chapter: ...

    def delete_chapter(self, chapter_id: int) -> None:
        """Soft-delete a chapter (Cablecast keeps it, marked deleted)."""
        ...

    def publish_chapters(self, vod_id: int, published: bool = True) -> None:
        """Show (or hide) the VOD's chapters to viewers; they are drafts until then."""
        ...

    def upload_sidecar(self, file_name: str, content: bytes, file_store: int) -> int:
        """Put a sidecar file in a file store under `file_name`; returns the upload's id.

        A finished upload of the same name and size is not sent again.
        """
        ...


class Probe(Protocol):
    """A health check of one gateway. Never retries: it reports."""

    name: str

    def check(self) -> ProbeResult: ...
