"""Entities and the values the ports speak in: recordings, jobs and transcripts; tokens and staff;
publications; search queries and hits, in the station's words."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archivist.domain.publishing.vod import Chapter


@dataclass(frozen=True, slots=True)
class Word:
    """One spoken word with its time span in seconds from the start of the recording."""

    start: float
    end: float
    word: str
    probability: float = 1.0


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of speech as the transcriber returned it."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    # Transcriber's own confidence figures, used by the hallucination guards.
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 1.0


@dataclass(frozen=True, slots=True)
class Sound:
    """A stretch of the recording with no speech but a sound worth a caption tag (music)."""

    start: float
    end: float
    kind: str = "music"


@dataclass(frozen=True, slots=True)
class Transcript:
    """Everything said in a recording, with word timings, and the sounds heard where no one spoke."""

    segments: tuple[Segment, ...]
    duration: float
    language: str = "en"
    model: str = ""
    # Notes for staff about this transcript (e.g. "no speech found").
    notes: tuple[str, ...] = ()
    sounds: tuple[Sound, ...] = ()

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


class JobState(enum.StrEnum):
    """Where a job is in its life. The database holds it; changes are checked transitions."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)

    def may_become(self, other: JobState) -> bool:
        """True when a job in this state may move to `other`."""
        return other in _TRANSITIONS[self]


_TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.RUNNING, JobState.CANCELLED, JobState.FAILED}),
    # Back to queued: a transient failure, or a worker that died and was given up on.
    JobState.RUNNING: frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED,
                                 JobState.QUEUED}),
    # Retry re-queues a finished job; nothing else leaves a finished state.
    JobState.SUCCEEDED: frozenset({JobState.QUEUED}),
    JobState.FAILED: frozenset({JobState.QUEUED}),
    JobState.CANCELLED: frozenset({JobState.QUEUED}),
}


class Priority(enum.IntEnum):
    """How soon a job runs: higher first, then oldest first."""

    BACKLOG = 3      # found by a scan of older recordings
    NORMAL = 5
    NOW = 9          # "caption this now": overtakes everything queued


@dataclass(frozen=True, slots=True)
class City:
    """A member city: its name, the mount its recordings are stored on, the names and
    terms (council members, streets, agenda words) its meetings are likely to use, and the
    Whisper model its recordings get (empty: the station's whisper.model)."""

    name: str
    path: Path
    extensions: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    model: str = ""


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file on a city's mount as the library lists it (not yet known to be media)."""

    path: Path
    size: int
    mtime: float        # seconds since the epoch
    city: str = ""
    captioned: bool = False   # an .scc sidecar is beside it (what playout uses)
    reference: str = ""       # the name of a person's caption file beside it (sidecars.py)


@dataclass(slots=True)
class Recording:
    """A meeting video (or audio) file on a city's storage; one per distinct content."""

    path: Path
    content_hash: str
    size: int
    city: str = ""
    id: int | None = None
    duration: float | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class Job:
    """One request to caption a recording at a path; it may take several attempts."""

    recording_id: int
    path: Path | None = None         # the file to caption; its sidecars go beside it
    city: str = ""
    state: JobState = JobState.QUEUED
    id: int | None = None
    priority: int = Priority.NORMAL
    attempts: int = 0                # times a worker has claimed it
    progress: float = 0.0            # 0..1
    eta_seconds: float | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)   # sidecar paths written
    worker: str | None = None        # host:pid of the worker that holds (or last held) it
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    retry_at: datetime | None = None     # after a transient failure: not to be run before
    model: str = ""                  # the Whisper model staff chose ("": the city's, or the station's)

    @property
    def active(self) -> bool:
        """Queued or running: the recording is being taken care of."""
        return not self.state.finished


# Access: who may change things (domain/access/).
@dataclass(frozen=True, slots=True)
class ApiToken:
    """A named token a machine sends as `Authorization: Bearer ...`; the secret is not kept."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Staff:
    """A person who may log in to the operator pages."""

    id: int
    name: str
    created_at: datetime
    session_generation: int = 0   # a login's session carries it; logout and a new password move it on


# Publishing: what publishing a recording did (domain/publishing/).
class PublicationState(enum.StrEnum):
    PUBLISHED = "published"   # linked, sidecar delivered, chapters in step with the transcript
    WAITING = "waiting"       # linked and delivered, but the show has no VOD to chapter yet
    UNLINKED = "unlinked"     # no show could be chosen: staff must choose one
    FAILED = "failed"         # something went wrong; publishing again is safe


@dataclass(frozen=True, slots=True)
class Publication:
    """What publishing a recording did, for saving and for staff."""

    media: str
    state: PublicationState
    show_id: int | None = None
    link_reason: str = ""
    vod_id: int | None = None
    sidecar: str = ""                        # beside | upload
    sidecar_ref: str = ""                    # the .scc path, or "upload 5012 to file store 7"
    chapters: tuple[Chapter, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def as_dict(self) -> dict[str, Any]:
        return {"media": self.media, "state": str(self.state), "show": self.show_id,
                "link_reason": self.link_reason, "vod": self.vod_id, "sidecar": self.sidecar,
                "sidecar_ref": self.sidecar_ref,
                "chapters": [{"id": c.id, "offset": c.offset, "title": c.title}
                             for c in self.chapters],
                "error": self.error, "notes": list(self.notes), "at": self.at.isoformat()}


# Search: what staff asked and where it was said (domain/search/).
@dataclass(frozen=True, slots=True)
class Hit:
    """A place where a query was spoken: `start` is the second its first word begins."""

    recording_id: int | None   # None: said in a live session not yet replaced by its recording
    city: str
    path: Path
    start: float
    end: float
    snippet: str
    rank: float = 0.0
    live_session: str | None = None   # the live session it was said in (seconds from its start)

    def as_dict(self) -> dict[str, object]:
        return {"recording_id": self.recording_id, "city": self.city, "path": str(self.path),
                "start": round(self.start, 2), "end": round(self.end, 2),
                "snippet": self.snippet, "live_session": self.live_session}


@dataclass(frozen=True, slots=True)
class Query:
    """A search as typed: words and "quoted phrases", all of which must be spoken."""

    terms: tuple[tuple[str, ...], ...]   # each term is one word, or a phrase of several

    @property
    def empty(self) -> bool:
        return not self.terms


# What the repository keeps about files and jobs (domain/repository.py).
@dataclass(frozen=True, slots=True)
class KnownFile:
    """A file a scan has hashed before, and what it looked like then."""

    path: Path
    size: int
    mtime: float
    content_hash: str


@dataclass(frozen=True, slots=True)
class Claim:
    """A job a worker now holds; `taken_from` names the silent worker it was taken over from."""

    job: Job
    taken_from: str | None = None


@dataclass(frozen=True, slots=True)
class JobCount:
    """How many jobs of a city are in a state, and when the oldest of them was queued."""

    state: JobState
    city: str
    jobs: int
    oldest: datetime | None
