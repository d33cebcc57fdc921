"""What the job rules take and give: the policy bounding a job's life, and what a submission,
a run and a reconcile came to."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archivist.domain.captions import EXTENSIONS
from archivist.domain.metrics import Metrics
from archivist.domain.models import Job, JobState, Recording
from archivist.domain.sidecars import REPORT

# Called with (fraction done 0..1, estimated seconds left or None).
JobProgress = Callable[[float, float | None], None]
ACTIVE = (JobState.QUEUED, JobState.RUNNING)
FINISHED = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


@dataclass(frozen=True, slots=True)
class JobPolicy:
    """Bounds on a job's life, from the `worker` section of the configuration."""

    max_attempts: int = 3              # claims before a job is failed for good
    heartbeat_seconds: float = 2.0     # how often a running job reports (and sees a cancel)
    stale_after: float = 60.0          # a running job not heard from this long is recovered
    retry_delay: float = 30.0          # first wait after a transient failure; doubles
    time_limit_factor: float = 4.0     # a job may take this many times its recording's length
    min_time_limit: float = 900.0      # ...but never less than this many seconds
    database_patience: float = 300.0   # a finished transcription waits this long for the database
    checkpoint_every: float = 180.0    # seconds of audio between checkpoints (0: none)


@dataclass(frozen=True, slots=True)
class Submission:
    """What became of asking for a recording to be captioned."""

    job: Job | None
    created: bool                 # a new job was queued
    reused: bool = False          # the content was captioned before: sidecars written from it
    outputs: tuple[Path, ...] = ()
    note: str = ""


class Outcome(enum.StrEnum):
    """What running a ticket (or one recording in the CLI) came to. The job's own state says
    where the job is; this says what this run did about it."""

    SUCCEEDED = "succeeded"       # captions written, job succeeded
    FAILED = "failed"             # job failed for good, with its reason
    CANCELLED = "cancelled"       # staff (or Ctrl-C) cancelled it while it ran
    REQUEUED = "requeued"         # a transient failure: the job waits to be tried again
    LOST = "lost"                 # another worker holds the job now (this one was too slow)
    IDLE = "idle"                 # the ticket found nothing to run
    REUSED = "reused"             # done before: sidecars written from the stored transcript


@dataclass(slots=True)
class Run:
    """What a worker did with one ticket (or the CLI with one recording)."""

    job: Job | None
    outcome: Outcome
    outputs: list[Path] = field(default_factory=list)
    retry_in: float | None = None  # seconds, when the job went back to the queue
    audio_seconds: float = 0.0     # of the recording transcribed, when the run succeeded


@dataclass(frozen=True, slots=True)
class Reconciled:
    recovered: tuple[int, ...]    # running jobs whose worker went silent, re-queued
    given_up: tuple[int, ...]     # ...or failed, out of attempts
    tickets: int                  # tickets sent for queued jobs the broker had lost


# How monitoring counts a run's outcome; lost and idle runs did nothing to count.
COUNTED = {Outcome.SUCCEEDED: "succeeded", Outcome.FAILED: "failed",
           Outcome.CANCELLED: "cancelled", Outcome.REQUEUED: "retried"}
_FORMAT_OF = {extension: fmt for fmt, extension in EXTENSIONS.items()}


def count_captions(metrics: Metrics, city: str, outputs: Sequence[Path]) -> None:
    """Count the caption files a run or a reuse wrote, by format."""
    for path in outputs:
        if path.name.endswith(REPORT):   # the compliance report is not a caption file
            continue
        fmt = _FORMAT_OF.get(path.suffix.lower())
        if fmt is not None:
            metrics.captions_written(city, fmt)


def stored_id(thing: Job | Recording) -> int:
    assert thing.id is not None, "stored jobs and recordings have ids"
    return thing.id
