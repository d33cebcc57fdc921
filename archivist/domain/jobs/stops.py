"""A job whose run stopped short: stopped by the person who ran it (Ctrl-C, or SIGTERM, which
the CLI raises as one) before or while it ran, cancelled by staff, handed back by a worker that
is stopping, or lost to another worker.

Like every decision on a job, each is a compare-and-set on the job's attempt, so a stop that
comes too late changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from archivist.domain.errors import GatewayUnavailable
from archivist.domain.jobs.checkpoints import Checkpoint
from archivist.domain.jobs.intake import Intake
from archivist.domain.jobs.outcomes import Outcome, Run, stored_id
from archivist.domain.jobs.ports import CheckpointStore
from archivist.domain.jobs.watch import Watch
from archivist.domain.models import Job, JobState
from archivist.domain.ports import MediaLibrary, Repository

log = logging.getLogger("archivist.jobs")


class RunStopped(KeyboardInterrupt):
    """The person stopped a run (Ctrl-C, or the SIGTERM `by` names); `job_now` says what
    became of its job ("its job is marked cancelled"), for them to read."""

    def __init__(self, by: KeyboardInterrupt, job_now: str) -> None:
        super().__init__(str(by))
        self.by = by
        self.job_now = job_now


class Stops:
    """What becomes of a job whose run was stopped before it finished."""

    def __init__(self, repository: Repository, library: MediaLibrary, intake: Intake,
                 worker: str, checkpoints: CheckpointStore | None = None) -> None:
        self._repo = repository
        self._library = library
        self._intake = intake
        self._worker = worker
        self._checkpoints = checkpoints

    def stopped_here(self, job: Job, stopped: KeyboardInterrupt, created: bool) -> str:
        """The person stopped a run in this process (Ctrl-C, or the SIGTERM `stopped` names)
        anywhere from its claim to its result; what became of its job, for them to read.

        The job is read back from the database rather than judged by how far the run got: a
        stop can land after the claim was written and before it returned. Held here (running
        under this worker): cancelled, saying why, if this run made it (`created`); a job a
        scan queued goes back to the queue for a worker (the station still wants it, the
        person stopped only their run). Still queued: cancelled, saying why, if this run made
        it (stored held by this run, it is queued again only by the reconciler, which took
        this run's silence for death), else left for a worker. Anything else was decided
        already. A failure to write is logged and said, so the stop still stops.
        """
        why = f"interrupted ({str(stopped) or 'Ctrl-C'})"
        job_id = stored_id(job)
        try:
            current = self._repo.job(job_id)
            if current is None:
                return "its job is gone"
            if current.state is JobState.RUNNING and current.worker == self._worker:
                if created:
                    if self._repo.transition(job_id, [JobState.RUNNING], JobState.CANCELLED,
                                             attempt=current.attempts, error=why):
                        return "its job is marked cancelled"
                else:
                    if self._back_to_queue(current, f"attempt {current.attempts} handed "
                                                    f"back: {why} by whoever ran it"):
                        return "its job is back in the queue for a worker"
            elif current.state is JobState.QUEUED:
                if not created:
                    return "its job stays queued for a worker"
                if self._repo.transition(job_id, [JobState.QUEUED], JobState.CANCELLED,
                                         error=why):
                    return "its job is marked cancelled"
            now = self._repo.job(job_id)
            return f"its job is {now.state if now else 'gone'}"
        except Exception as exc:
            log.warning("a stopped run's job not marked", extra={
                "job_id": job.id, "error": str(exc)})
            return f"its job could not be marked cancelled ({exc}); `archivist jobs` shows it"

    def stopped_asking(self, path: Path, stopped: KeyboardInterrupt, asked: datetime) -> str:
        """The person stopped a run in this process while it asked (from `asked` on) for
        `path`'s job, so before it knew the job: the stop may have landed after the job was
        stored (held by this run, made in the transaction that claimed it) and before it was
        returned. The job is found by the recording at `path` and cancelled if this run made
        it; any other is left as it is. What became of it, for them to read."""
        try:
            known = self._repo.files_known([path]).get(path)
        except Exception as exc:
            log.warning("a stopped run's job not found", extra={
                "path": str(path), "error": str(exc)})
            return f"its job, if it was made, could not be marked ({exc}); `archivist jobs` " \
                   "shows it"
        latest = known[1] if known else None
        if latest is None or not latest.active:
            return "no job was made for it"
        # Asking claims only a job it makes: held under this run's name since it asked. (The
        # name alone could be another process's: a pid reused, a container's pid 1.)
        if (latest.state is JobState.RUNNING and latest.worker == self._worker
                and latest.started_at is not None and latest.started_at >= asked):
            return self.stopped_here(latest, stopped, created=True)
        if latest.state is JobState.QUEUED:
            return "its job stays queued for a worker"
        return f"its job {latest.id} is {latest.state}, not this run's: left as it is"

    def stopped(self, job: Job, watch: Watch, checkpoint: Checkpoint | None) -> Run:
        """The transcription stopped at the watch's word, within its time limit: staff
        cancelled the job, its worker is stopping, or another worker holds it now."""
        current = self._repo.job(stored_id(job))
        if current is not None and current.state is JobState.CANCELLED:
            log.info("job finished", extra={"state": "cancelled"})
            if self._checkpoints is not None:   # over for good: nothing to resume
                self._checkpoints.drop(job.recording_id)
            return Run(current, Outcome.CANCELLED)
        if checkpoint is not None:   # the next attempt, here or elsewhere, goes on from here
            checkpoint.flush()
        if watch.stopping():
            watch.stop()
            return self._hand_back(job)
        return self.lost(job, [])

    def _hand_back(self, job: Job) -> Run:
        """The worker is stopping: the job goes back to the queue at once, for another worker
        (or this one when it is back) to go on from its checkpoint."""
        note = f"attempt {job.attempts} handed back: its worker {self._worker} was stopped"
        try:
            back = self._back_to_queue(job, note)
        except GatewayUnavailable as exc:
            # Left running: the reconciler re-queues it once this worker's beats have stopped.
            log.warning("hand back failed", extra={"error": exc.reason})
            back = None
        log.info("job handed back", extra={"attempt": job.attempts})
        return Run(back or job, Outcome.REQUEUED, retry_in=0.0)

    def _back_to_queue(self, job: Job, note: str) -> Job | None:
        """Put a running job's attempt back in the queue, noted, and send its ticket (a queue
        that is down leaves it for the reconciler); None if the attempt no longer holds it.
        Not counted against max_attempts: a stop is not the job's fault (deploys restart
        workers, people press Ctrl-C), and this run has stopped writing to it."""
        back = self._repo.transition(stored_id(job), [JobState.RUNNING], JobState.QUEUED,
                                     attempt=job.attempts, notes=[*job.notes, note],
                                     uncount=True)
        if back is not None:
            self._intake.send(back)
        return back

    def lost(self, job: Job, written: list[Path]) -> Run:
        """This attempt no longer holds the job (cancelled, or recovered by the reconciler)."""
        current = self._repo.job(stored_id(job))
        if current is not None and current.state is JobState.CANCELLED:
            for path in written:   # a cancelled job leaves no sidecar behind
                self._library.remove(path)
            return Run(current, Outcome.CANCELLED)
        log.warning("job lost", extra={"attempt": job.attempts,
                                       "now": str(current.state) if current else "gone"})
        return Run(current, Outcome.LOST)


def interrupt_within(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM an error was raised from or while handling, if any (a C
    extension's import turns a stop into "ImportError: initialization failed")."""
    seen: set[int] = set()
    at: BaseException | None = exc
    while at is not None and id(at) not in seen:
        if isinstance(at, KeyboardInterrupt):
            return at
        seen.add(id(at))
        at = at.__cause__ or at.__context__
    return None
