"""Beside a running job: its heartbeat, its time limit, and noticing that it was taken away."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from archivist.domain.errors import GatewayUnavailable
from archivist.domain.jobs.outcomes import JobPolicy, JobProgress
from archivist.domain.jobs.ports import Liveness
from archivist.domain.models import Job
from archivist.domain.ports import Repository

log = logging.getLogger("archivist.jobs")


class NoLiveness:
    """No heartbeat store beside the database: the database's word is the only one."""

    def beat(self, job_id: int, attempt: int, worker: str, ttl: float) -> None:
        pass

    def alive(self, job_id: int, attempt: int) -> bool:
        return False

    def forget(self, job_id: int) -> None:
        pass


class Watch:
    """A heartbeat thread that reports progress and notices a cancel, and the job's time
    limit, scaled to the recording's length once that is known.

    Each beat also goes to `liveness` (beside the queue, not in the database), so that while
    the database is away the reconciler still knows this worker is alive and leaves its job
    alone. It beats until the result is saved, for as long as `database_patience` allows.
    """

    def __init__(self, repo: Repository, job: Job, policy: JobPolicy,
                 forward: JobProgress | None, liveness: Liveness | None = None,
                 worker: str = "", stopping: Callable[[], bool] = lambda: False) -> None:
        self._repo, self._job, self._policy, self._forward = repo, job, policy, forward
        self._liveness = liveness or NoLiveness()
        self._worker = worker
        self.stopping = stopping   # the worker is stopping: hand the job back
        self._started = time.monotonic()
        self._fraction: float = 0.0
        self._eta: float | None = None
        self._limit = float("inf")
        self._taken = threading.Event()   # cancelled, or recovered by the reconciler
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name=f"heartbeat-job-{job.id}")
        # Apart from the database's heartbeat, which a hung database holds for its deadline.
        self._pulse = threading.Thread(target=self._keep_alive, daemon=True,
                                       name=f"liveness-job-{job.id}")
        self.overtime: float | None = None

    def __enter__(self) -> Watch:
        self._alive()
        self._thread.start()
        self._pulse.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        assert self._job.id is not None
        self._liveness.forget(self._job.id)

    def stop(self) -> None:
        """No more heartbeats: before the job is put back in the queue, where a heartbeat of
        this attempt would take it back."""
        self._done.set()
        for thread in (self._thread, self._pulse):
            if thread.is_alive():
                thread.join(timeout=self._policy.heartbeat_seconds + 5)

    def _alive(self) -> None:
        assert self._job.id is not None
        # Beats expire after stale_after, as the database's do: a dead worker is known as soon.
        self._liveness.beat(self._job.id, self._job.attempts, self._worker,
                            self._policy.stale_after)

    def progress(self, fraction: float, media_seconds: float) -> None:
        elapsed = time.monotonic() - self._started
        self._fraction = float(fraction)
        self._eta = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
        if fraction >= 0.1 and media_seconds > 0:
            length = media_seconds / fraction
            self._limit = max(self._policy.min_time_limit, self._policy.time_limit_factor * length)
        if self._forward:
            self._forward(self._fraction, self._eta)

    def stop_requested(self) -> bool:
        if time.monotonic() - self._started > self._limit:
            self.overtime = self._limit
            return True
        return self._taken.is_set() or self.stopping()

    def _keep_alive(self) -> None:
        while not self._done.wait(self._policy.heartbeat_seconds) and not self._taken.is_set():
            self._alive()

    def _beat(self) -> None:
        assert self._job.id is not None
        while not self._done.wait(self._policy.heartbeat_seconds):
            try:
                mine = self._repo.heartbeat(self._job.id, self._job.attempts, self._fraction,
                                            self._eta)
            except GatewayUnavailable as exc:
                # The database blinked: keep working; the result waits for it at the end.
                log.warning("heartbeat failed", extra={"job_id": self._job.id, "error": exc.reason})
                continue
            if not mine:
                self._taken.set()
                return
