"""Ports: what the domain needs from the outside world, as Protocols.

Adapters satisfy these without inheriting from them; the container picks which. The largest,
Repository, has a module of its own (domain/repository.py) and is named here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from archivist.domain.models import (
    ApiToken,
    City,
    Hit,
    MediaFile,
    Query,
    Segment,
    Staff,
    Transcript,
)
from archivist.domain.publishing.vod import Chapter, Show
from archivist.domain.repository import Repository as Repository  # its own module, named here too

# Called with (fraction done 0..1, seconds of media processed); may be called often.
Progress = Callable[[float, float], None]
# Returns True when the job should stop as soon as it can.
CancelCheck = Callable[[], bool]


class Transcriber(Protocol):
    """Turns a recording into timed words."""

    @property
    def model_name(self) -> str: ...

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck,
                   vocabulary: Sequence[str] = (), checkpoint: Resumable | None = None,
                   model: str = "") -> Transcript:
        """Transcribe one file; raise MediaError for unusable media, Cancelled when asked to stop.

        `vocabulary`: names and terms the recording is likely to use (its city's), as hints.
        `checkpoint`: segments decoded by an earlier attempt, to go on after (with their text
        as the context); `checkpoint.decoded` is told the segments decoded so far as they come.
        `model`: the model its city names (empty: the station's whisper.model).

        Errors raised by `on_progress` or `cancelled` pass through unchanged.
        """
        ...


class Resumable(Protocol):
    """A transcription's checkpoint as the transcriber sees it (domain/jobs/checkpoints.py)."""

    @property
    def segments(self) -> Sequence[Segment]:
        """Decoded by earlier attempts: go on after the last."""
        ...

    @property
    def context(self) -> Mapping[str, Any]:
        """The transcriber's own state after `segments` (JSON values), as it left it."""
        ...

    def decoded(self, segments: Sequence[Segment], context: Mapping[str, Any]) -> None:
        """Every segment decoded so far (the earlier attempts' first), and the transcriber's
        state after them; saved every few minutes of audio."""
        ...


class MediaLibrary(Protocol):
    """The station's mounted storage: recordings and the sidecars beside them.

    The only door to the mounts: nothing else looks at, reads or writes a file there. Every
    call is bounded (a listing by `library.list_timeout`, anything else by `library.io_timeout`)
    and a mount that does not answer raises GatewayUnavailable.
    """

    def cities(self) -> Sequence[City]: ...

    def recordings(self, city: City) -> list[MediaFile]:
        """The city's files with a recording's extension, newest first, never outside its mount.

        Raises GatewayUnavailable when the mount is missing or unreadable.
        """
        ...

    def city_of(self, path: Path) -> City | None:
        """The city whose mount holds `path` (symlinks resolved), if any."""
        ...

    def stat(self, path: Path) -> MediaFile: ...

    def exists(self, path: Path) -> bool:
        """Whether there is a file at `path` (a caption sidecar, a report)."""
        ...

    def read_text(self, path: Path) -> str:
        """A sidecar's or transcript's text (UTF-8); MediaError when missing or unreadable."""
        ...

    def real_path(self, path: Path) -> Path:
        """`path` with its symlinks resolved (as far as they resolve)."""
        ...

    def fingerprint(self, path: Path) -> str:
        """Content hash of a recording (hex), the same wherever the file is mounted."""
        ...

    def size(self, path: Path) -> int: ...

    def write_sidecar(self, path: Path, content: str) -> Path:
        """Write a file atomically: readers see the old file or the whole new one, never half."""
        ...

    def remove(self, path: Path) -> None:
        """Remove a file this system wrote (e.g. sidecars of a job cancelled at the last moment)."""
        ...


class JobQueue(Protocol):
    """Carries job tickets to workers; the database stays the source of truth.

    A ticket names a job, but any ticket may run any queued job (see domain/jobs/rules.py), so the
    broker needs at least as many tickets as there are queued jobs, and no more than that.
    """

    def enqueue(self, job_id: int, priority: int = 5, delay: float = 0.0) -> None: ...

    def depth(self) -> int:
        """Tickets waiting in the broker (not those a worker holds)."""
        ...

    def publish(self, recording_id: int, show_id: int | None = None) -> None:
        """Ask the housekeeping worker to publish a recording (staff's button; quick tasks)."""
        ...

    def publish_job(self, job_id: int) -> None:
        """Ask the housekeeping worker to publish a finished job's recording (what follows it)."""
        ...

    def make_playable(self, recording_id: int) -> None:
        """Ask a worker to make the recording's browser copy (domain/playback/copies.py)."""
        ...


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



class TranscriptSearch(Protocol):
    """Full-text search over every stored transcript, passage by passage.

    A transcript is indexed when it is saved. Words match on their stems; a phrase matches
    its words in order; hits come best first, each with the second its words are spoken.
    """

    def search(self, query: Query, city: str | None = None, limit: int = 20,
               offset: int = 0) -> list[Hit]: ...

    def reindex(self) -> int:
        """Index every stored transcript again; returns how many."""
        ...


class AccessStore(Protocol):
    """API tokens (kept as hashes) and staff accounts (kept with password hashes)."""

    def add_token(self, name: str, token_hash: str) -> ApiToken:
        """Conflict when a live token already has this name."""
        ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The live (not revoked) token with this hash; notes that it was used."""
        ...

    def tokens(self) -> list[ApiToken]: ...
    def revoke_token(self, name: str) -> ApiToken | None: ...

    def add_staff(self, name: str, password_hash: str) -> Staff:
        """Conflict when the name is taken."""
        ...

    def staff_by_name(self, name: str) -> tuple[Staff, str] | None:
        """The account and its password hash."""
        ...

    def staff(self, staff_id: int) -> Staff | None: ...
    def set_password(self, staff_id: int, password_hash: str) -> None: ...

    def next_session_generation(self, staff_id: int) -> None:
        """Move the account's session generation on: sessions made before are refused."""
        ...


class Leases(Protocol):
    """Named leases shared by every process of the station: one holder at a time, until it lets
    go or the lease expires (a holder that died frees it that way)."""

    def take(self, name: str, holder: str, seconds: float) -> str | None:
        """None when `holder` now holds `name` for `seconds`; otherwise who holds it."""
        ...

    def release(self, name: str, holder: str) -> None: ...


class PasswordHasher(Protocol):
    """A slow, salted password hash."""

    def hash(self, password: str) -> str: ...
    def verify(self, stored: str, password: str) -> bool: ...

    def dummy(self) -> str:
        """A hash of nothing in particular, to spend the same time on an unknown name."""
        ...
