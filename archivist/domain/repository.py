"""The Repository port: recordings, jobs, transcripts and publications as the database keeps
them, with the contract every implementation meets (tests/adapters/test_repository_contract.py
checks it against the fake and both databases)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from archivist.domain.models import (
    Claim,
    Job,
    JobCount,
    JobState,
    KnownFile,
    Publication,
    Recording,
    Transcript,
)


class Repository(Protocol):
    """Recordings, jobs and transcripts, kept in the database. Each call is one transaction.

    Contract (every implementation):
    - Recordings are unique by content hash: adding known content returns the stored one.
    - `queue_job` gives a recording at most one active (queued or running) job: asking again
      returns that job and False.
    - Every state change is a compare-and-set: it names the states it may leave and, for a
      running job, the attempt that holds it; it returns None (changing nothing) otherwise.
    - Unknown ids: look-ups return None; `queue_job` for an unknown recording raises NotFound.
    """

    # Recordings
    def add_recording(self, recording: Recording) -> Recording: ...
    def recording(self, recording_id: int) -> Recording | None: ...
    def recording_by_hash(self, content_hash: str) -> Recording | None: ...

    # Files seen on the mounts: lets a scan skip re-hashing a file that has not changed.
    def known_file(self, path: Path) -> KnownFile | None: ...
    def remember_file(self, known: KnownFile) -> None: ...

    def files_known(self, paths: Sequence[Path]) -> dict[Path, tuple[int, Job | None]]:
        """For each of `paths` a scan has hashed: its recording's id and latest job (in one
        go: a page lists many files). Paths never seen are left out."""
        ...

    # Jobs
    def queue_job(self, job: Job, claimed_by: str = "") -> tuple[Job, bool]:
        """Store `job` as queued and return (it, True), or (the active job, False) as it is.

        `claimed_by`: store it claimed by that worker instead (running, its first attempt),
        in the same transaction: a job its maker runs at once (the CLI's) is never queued
        with no ticket, not even for the moment between two commits. A job this call stored
        whose commit's answer was lost (found again by the retry) is still (it, True)."""
        ...

    def job(self, job_id: int) -> Job | None: ...
    def jobs(self, state: JobState | None = None, city: str | None = None,
             limit: int = 50, offset: int = 0) -> list[Job]:
        """Jobs, newest first."""
        ...

    def count_jobs(self, state: JobState) -> int: ...
    def job_counts(self) -> list[JobCount]:
        """Jobs by state and city, with each group's oldest creation time (for monitoring)."""
        ...
    def due_jobs(self, now: datetime, limit: int) -> tuple[int, list[Job]]:
        """(how many queued jobs may run now, the first `limit` of them, best first)."""
        ...

    def latest_job(self, recording_id: int) -> Job | None: ...

    def next_queued(self, above: int, now: datetime) -> Job | None:
        """The queued job to run first (highest priority, then newest) with priority > `above`,
        leaving out jobs waiting for their `retry_at`."""
        ...

    def claim_next(self, preferred: int, worker: str, stale_before: datetime,
                   now: datetime) -> Claim | None:
        """What a ticket for job `preferred` runs, claimed in one transaction: the most urgent
        queued job that is due, newest first (`preferred` is due whatever its `retry_at`:
        its ticket was delayed for it), else `preferred` itself if its worker went silent;
        None when there is nothing to run or another worker won the race."""
        ...

    def claim(self, job_id: int, worker: str, stale_before: datetime) -> Job | None:
        """Queued (or running with a heartbeat older than `stale_before`) → running.

        Counts an attempt and records the worker; returns the claimed job or None.
        """
        ...

    def heartbeat(self, job_id: int, attempt: int, progress: float,
                  eta_seconds: float | None) -> bool:
        """Record progress of a running job; False when the job is no longer this attempt's.

        A job re-queued while this attempt's worker was cut off, and claimed by nobody since,
        is still this attempt's: it becomes running again."""
        ...

    def transition(self, job_id: int, leaving: Collection[JobState], to: JobState, *,
                   attempt: int | None = None, error: str | None = None,
                   notes: Sequence[str] | None = None, reset_attempts: bool = False,
                   retry_at: datetime | None = None, uncount: bool = False) -> Job | None:
        """Move a job from one of `leaving` to `to` (checked); None if it was in another state.

        `attempt` limits the change to the attempt that holds a running job; `uncount` takes
        that attempt back off the count (a job handed back by a stopping worker). Raises
        Conflict when re-queueing would give the recording a second active job.
        """
        ...

    def succeed(self, job_id: int, attempt: int, transcript: Transcript,
                notes: Sequence[str], outputs: Sequence[str]) -> Job | None:
        """In one transaction: keep the transcript and mark this attempt succeeded (also a job
        re-queued since and claimed by nobody: a late save is accepted)."""
        ...

    def set_priority(self, job_id: int, priority: int) -> Job | None: ...
    def stale_jobs(self, heartbeat_before: datetime) -> list[Job]:
        """Running jobs whose worker has not been heard from since `heartbeat_before`."""
        ...

    # Transcripts
    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None: ...
    def transcript(self, recording_id: int) -> Transcript | None: ...
    def has_transcript(self, recording_id: int) -> bool:
        """Whether the recording has a transcript, without reading it (a meeting's is large)."""
        ...

    # Publications (to the VOD platform): the latest per recording, and a show staff chose
    def save_publication(self, recording_id: int, publication: Publication,
                         chosen_show_id: int | None = None) -> None: ...
    def publication(self, recording_id: int) -> tuple[Publication, int | None] | None:
        """(the latest publication, the show staff chose or None), if it was ever published."""
        ...

    def publications_due(self, cities: Sequence[str], limit: int) -> list[Job]:
        """Latest succeeded jobs of these cities whose recording is unpublished, or whose last
        publication failed or waits for its VOD: what publishing should (re)try."""
        ...
