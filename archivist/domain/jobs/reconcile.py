"""Keeping the queue honest: recover jobs of silent workers, send tickets the broker lost."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from archivist.domain.jobs.outcomes import JobPolicy, Reconciled, stored_id
from archivist.domain.jobs.ports import Liveness
from archivist.domain.models import JobState
from archivist.domain.ports import JobQueue, Repository

log = logging.getLogger("archivist.jobs")


class Reconciler:
    """Run by the schedule every `worker.reconcile_every` seconds."""

    def __init__(self, repository: Repository, queue: JobQueue, policy: JobPolicy,
                 clock: Callable[[], datetime], liveness: Liveness) -> None:
        self._repo = repository
        self._liveness = liveness
        self._queue = queue
        self._policy = policy
        self._clock = clock

    def reconcile(self) -> Reconciled:
        """Recover running jobs whose worker went silent; send tickets the broker lost."""
        recovered, given_up = [], []
        stale_before = self._clock() - timedelta(seconds=self._policy.stale_after)
        for job in self._repo.stale_jobs(stale_before):
            if self._liveness.alive(stored_id(job), job.attempts):
                # Silent in the database only: its worker still beats beside the queue (the
                # database was away). It keeps its job and saves when the database is back.
                log.info("job kept by its live worker", extra={"job_id": job.id,
                                                               "worker": job.worker})
                continue
            if job.attempts >= self._policy.max_attempts:
                if self._repo.transition(stored_id(job), [JobState.RUNNING], JobState.FAILED,
                                         attempt=job.attempts,
                                         error=f"gave up after {job.attempts} attempts: the "
                                               "worker stopped answering each time"):
                    given_up.append(stored_id(job))
                continue
            note = f"worker {job.worker or '?'} stopped answering; re-queued"
            if self._repo.transition(stored_id(job), [JobState.RUNNING], JobState.QUEUED,
                                     attempt=job.attempts, notes=[*job.notes, note]):
                recovered.append(stored_id(job))
        # Jobs waiting out a retry delay have a delayed ticket of their own; the rest need one
        # ticket each in the broker. Extra tickets are harmless (a ticket with nothing to
        # claim does nothing), so any shortfall is simply sent again.
        depth = self._queue.depth()
        due, first = self._repo.due_jobs(self._clock(), limit=1000)
        sent = 0
        for job in first[:max(0, due - depth)]:
            self._queue.enqueue(stored_id(job), job.priority)
            sent += 1
        if recovered or given_up or sent:
            log.info("reconciled", extra={"recovered": recovered, "given_up": given_up,
                                          "tickets": sent})
        return Reconciled(tuple(recovered), tuple(given_up), sent)
