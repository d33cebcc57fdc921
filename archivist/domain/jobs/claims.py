"""Claiming a job: which queued job a worker's ticket runs, and when a running job whose
worker went silent may be taken over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from archivist.domain.jobs.outcomes import JobPolicy
from archivist.domain.jobs.ports import Liveness
from archivist.domain.models import Job, JobState
from archivist.domain.ports import Repository


class Claims:
    """A worker's (or the CLI's) claims on jobs, each a compare-and-set in the repository."""

    def __init__(self, repository: Repository, policy: JobPolicy, worker: str,
                 clock: Callable[[], datetime], liveness: Liveness) -> None:
        self._repo = repository
        self._policy = policy
        self._worker = worker
        self._clock = clock
        self._liveness = liveness

    def for_ticket(self, job_id: int) -> Job | None:
        """The job a ticket should run, claimed: the most urgent queued one, newest first."""
        for _ in range(5):  # another worker may win a race; a few tries settle it
            claim = self._repo.claim_next(job_id, self._worker, self._takeover_before(job_id),
                                          self._clock())
            if claim is not None:
                if claim.taken_from is not None:
                    claim.job.notes.append(f"worker {claim.taken_from} stopped answering during "
                                           f"attempt {claim.job.attempts - 1}; taken over")
                return claim.job
            if self._repo.next_queued(above=-1, now=self._clock()) is None:
                return None
        return None

    def claim(self, job_id: int) -> Job | None:
        """Claim this one job (the CLI's own), or None when another worker holds it."""
        return self._repo.claim(job_id, self._worker, self._takeover_before(job_id))

    def _takeover_before(self, job_id: int) -> datetime:
        """A running job silent in the database since this may be taken over, unless its
        worker is still beating beside the queue (then never: it is alive, the database was
        away)."""
        current = self._repo.job(job_id)
        if current is not None and current.state is JobState.RUNNING \
                and self._liveness.alive(job_id, current.attempts):
            return datetime.min.replace(tzinfo=UTC)
        return self._clock() - timedelta(seconds=self._policy.stale_after)
