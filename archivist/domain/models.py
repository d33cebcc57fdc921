"""Entities: recordings, jobs and transcripts, in the station's words."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


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
class Transcript:
    """Everything said in a recording, with word timings."""

    segments: tuple[Segment, ...]
    duration: float
    language: str = "en"
    model: str = ""
    # Notes for staff about this transcript (e.g. "no speech found").
    notes: tuple[str, ...] = ()

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


@dataclass(slots=True)
class Recording:
    """A meeting video (or audio) file on a city's storage."""

    path: Path
    content_hash: str
    size: int
    city: str = ""
    id: int | None = None
    duration: float | None = None
    created_at: datetime | None = None


@dataclass(slots=True)
class Job:
    """One attempt to caption a recording."""

    recording_id: int
    state: JobState = JobState.QUEUED
    id: int | None = None
    progress: float = 0.0            # 0..1
    eta_seconds: float | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)   # sidecar paths written
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
