"""The job rules behind one door: intake, running, staff actions and reconcile.

The database is the truth about jobs; the broker carries tickets. A ticket names a job, but a
worker holding one claims the best queued job (highest priority, then newest), so "caption
this now" overtakes the backlog on any broker, tonight's meeting comes before last month's,
and a ticket is never wasted while a job waits.
Every state change is a compare-and-set in the repository, so a ticket delivered twice, a
worker killed mid-job, or a late write from a worker that lost its job changes nothing twice.
Each responsibility lives in its own module; `Jobs` is what the entrypoints are handed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

from archivist.domain import rendered
from archivist.domain.captioning import Captioning
from archivist.domain.jobs.followups import FollowUps
from archivist.domain.jobs.intake import Intake
from archivist.domain.jobs.outcomes import (
    JobPolicy,
    JobProgress,
    Outcome,
    Reconciled,
    Run,
    Submission,
)
from archivist.domain.jobs.ports import CheckpointStore, Liveness
from archivist.domain.jobs.reconcile import Reconciler
from archivist.domain.jobs.running import Runner
from archivist.domain.jobs.staff import Retried, StaffActions
from archivist.domain.jobs.watch import NoLiveness
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Job, Priority, Recording
from archivist.domain.ports import JobQueue, MediaLibrary, Repository
from archivist.domain.review.ports import LearnedVocabulary

__all__ = ["JobPolicy", "Jobs", "Outcome", "Reconciled", "Retried", "Run", "Submission"]


class Jobs:
    """The one place that decides what happens to a job."""

    def __init__(self, repository: Repository, queue: JobQueue, library: MediaLibrary,
                 captioning: Captioning, policy: JobPolicy, worker: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 metrics: Metrics | None = None,
                 publishing_cities: Collection[str] = (),
                 liveness: Liveness | None = None,
                 checkpoints: CheckpointStore | None = None,
                 learned: LearnedVocabulary | None = None,
                 stopping: Callable[[], bool] = lambda: False,
                 kept: rendered.Store | None = None) -> None:
        metrics = metrics or NoMetrics()
        liveness = liveness or NoLiveness()
        self._intake = Intake(repository, queue, library, captioning, metrics)
        self._runner = Runner(repository, queue, library, captioning, self._intake,
                              FollowUps(queue, publishing_cities), policy, worker, clock, metrics,
                              liveness, checkpoints, learned, stopping, kept)
        self._staff = StaffActions(repository, self._intake)
        self._reconciler = Reconciler(repository, queue, policy, clock, liveness)

    def submit(self, path: Path, city: str = "", priority: int = Priority.NORMAL,
               force: bool = False, formats: Sequence[str] = (), out_dir: Path | None = None,
               send: bool = True, again: bool = True, model: str = "") -> Submission:
        """Queue a recording for captioning, unless its content is done or already queued
        (`model`: the Whisper model staff chose; empty, its city's)."""
        return self._intake.submit(path, city, priority, force, formats, out_dir, send, again,
                                   model)

    def recording_at(self, path: Path, city: str = "") -> Recording:
        """The recording stored at `path`: hashed once, then known by size and mtime."""
        return self._intake.recording_at(path, city)

    def take(self, job_id: int, formats: Sequence[str]) -> Run:
        """A worker's ticket for `job_id`: claim the best queued job and run it."""
        return self._runner.take(job_id, formats)

    def caption_here(self, path: Path, formats: Sequence[str], out_dir: Path | None = None,
                     force: bool = False, on_progress: JobProgress | None = None,
                     city: str = "") -> Run:
        """Caption a recording in this process (the CLI), through a job like any other."""
        return self._runner.caption_here(path, formats, out_dir, force, on_progress, city)

    def run_claimed(self, job: Job, formats: Sequence[str], out_dir: Path | None = None,
                    on_progress: JobProgress | None = None) -> Run:
        """Run a job this process holds, decide what becomes of it, and report how it ended."""
        return self._runner.run_claimed(job, formats, out_dir, on_progress)

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued or running job; a running one stops within a heartbeat."""
        return self._staff.cancel(job_id)

    def retry(self, job_id: int) -> Job:
        """Queue a failed or cancelled job again, with a fresh budget of attempts."""
        return self._staff.retry(job_id)

    def retry_failed(self, city: str | None = None) -> Retried:
        """Queue again every failed job (of one city) still its recording's latest."""
        return self._staff.retry_failed(city)

    def prioritize(self, job_id: int, priority: int) -> Job:
        """Change a job's priority."""
        return self._staff.prioritize(job_id, priority)

    def reconcile(self) -> Reconciled:
        """Recover running jobs whose worker went silent; send tickets the broker lost."""
        return self._reconciler.reconcile()
