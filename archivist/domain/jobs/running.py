"""Running a job: claim it, caption it under a heartbeat, and decide what becomes of it.

Every decision is a compare-and-set on the job's attempt, so a worker that lost its job
(cancelled, or recovered by the reconciler and claimed by another) changes nothing. Which job
a ticket claims is `claims`; what a stop, a cancel or a lost job comes to is `stops`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archivist.domain import logcontext, rendered
from archivist.domain.captioning import Captioned, Captioning
from archivist.domain.errors import (
    ArchivistError,
    Cancelled,
    Conflict,
    GatewayUnavailable,
    MediaError,
    NotFound,
)
from archivist.domain.jobs.checkpoints import Checkpoint
from archivist.domain.jobs.claims import Claims
from archivist.domain.jobs.followups import FollowUps
from archivist.domain.jobs.intake import Intake
from archivist.domain.jobs.outcomes import (
    COUNTED,
    JobPolicy,
    JobProgress,
    Outcome,
    Run,
    Submission,
    count_captions,
    stored_id,
)
from archivist.domain.jobs.ports import CheckpointStore, Liveness
from archivist.domain.jobs.stops import RunStopped, Stops, interrupt_within
from archivist.domain.jobs.watch import NoLiveness, Watch
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Job, JobState
from archivist.domain.ports import JobQueue, MediaLibrary, Repository
from archivist.domain.review.ports import LearnedVocabulary
from archivist.domain.review.vocabulary import merged

log = logging.getLogger("archivist.jobs")


class Runner:
    """A worker's (or the CLI's) side of jobs: take one, run it, say how it ended."""

    def __init__(self, repository: Repository, queue: JobQueue, library: MediaLibrary,
                 captioning: Captioning, intake: Intake, follow_ups: FollowUps,
                 policy: JobPolicy, worker: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 metrics: Metrics | None = None, liveness: Liveness | None = None,
                 checkpoints: CheckpointStore | None = None,
                 learned: LearnedVocabulary | None = None,
                 stopping: Callable[[], bool] = lambda: False,
                 kept: rendered.Store | None = None) -> None:
        self._repo = repository
        self._learned = learned
        self._kept = kept   # what the render of the captions used: a correction's save reuses it
        self._queue = queue
        self._library = library
        self._captioning = captioning
        self._intake = intake
        self._follow_ups = follow_ups
        self._policy = policy
        self._worker = worker
        self._clock = clock
        self._metrics = metrics or NoMetrics()
        self._liveness = liveness or NoLiveness()
        self._checkpoints = checkpoints
        self._stopping = stopping
        self._claims = Claims(repository, policy, worker, clock, self._liveness)
        self._stops = Stops(repository, library, intake, worker, checkpoints)

    def take(self, job_id: int, formats: Sequence[str]) -> Run:
        """A worker's ticket for `job_id`: claim the best queued job and run it."""
        job = self._claims.for_ticket(job_id)
        if job is None:
            return Run(None, Outcome.IDLE)
        try:
            return self.run_claimed(job, formats)
        except KeyboardInterrupt as stopped:   # a worker run in the foreground, stopped
            raise RunStopped(stopped, self._stops.stopped_here(job, stopped, created=False)) \
                from None

    def caption_here(self, path: Path, formats: Sequence[str], out_dir: Path | None = None,
                     force: bool = False, on_progress: JobProgress | None = None,
                     city: str = "") -> Run:
        """Caption a recording in this process (the CLI), through a job like any other."""
        submission: Submission | None = None
        asked = self._clock()
        try:
            # A job made here is stored held by this run, in the transaction that makes it:
            # it has no ticket, so it must never wait queued where no worker runs.
            submission = self._intake.submit(path, city=city, force=force, formats=formats,
                                             out_dir=out_dir, send=False, claim_as=self._worker)
            if submission.reused:
                return Run(submission.job, Outcome.REUSED, outputs=list(submission.outputs))
            job = submission.job
            assert job is not None
            if submission.created:
                return self.run_claimed(job, formats, out_dir, on_progress)
            return self._claim_and_run(job, path, formats, out_dir, on_progress)
        except KeyboardInterrupt as stopped:
            # Stopped (Ctrl-C, or SIGTERM: the CLI raises it as a KeyboardInterrupt) anywhere,
            # even between a commit and its return (the job stored, or claimed, and this run
            # not yet told): the job is not left running (or queued without a ticket) for
            # ever. Any other error (a database down) is no stop, and is raised as it is.
            if submission is None or submission.job is None:
                raise RunStopped(stopped, self._stops.stopped_asking(path, stopped, asked)
                                 ) from None
            raise RunStopped(stopped, self._stops.stopped_here(submission.job, stopped,
                                                               submission.created)) from None

    def _claim_and_run(self, job: Job, path: Path, formats: Sequence[str],
                       out_dir: Path | None, on_progress: JobProgress | None) -> Run:
        claimed = self._claims.claim(stored_id(job))
        if claimed is None:
            raise Conflict(f"{path}: already being captioned as job {job.id} "
                           f"by {job.worker or 'a worker'}")
        copy = claimed.path
        if copy is None or copy == path:
            return self.run_claimed(claimed, formats, out_dir, on_progress)
        # The same content was queued for another file (a copy a scan found): the person asked
        # for this file's captions, so the job runs on it; the copy then gets its own files
        # from the stored transcript, as a copy of done content does.
        claimed.path = path
        run = self.run_claimed(claimed, formats, out_dir, on_progress)
        if run.outcome is Outcome.SUCCEEDED:
            try:
                self._intake.submit(copy, city=claimed.city, formats=formats, send=False)
            except ArchivistError as exc:   # this file's job is done; a later scan sees the copy
                log.warning("captions for the copy not written", extra={
                    "path": str(copy), "error": str(exc)})
        return run

    def run_claimed(self, job: Job, formats: Sequence[str], out_dir: Path | None = None,
                    on_progress: JobProgress | None = None) -> Run:
        """Run a job this process holds, decide what becomes of it, and report how it ended."""
        with logcontext.bound(job_id=job.id, city=job.city or None, recording=job.recording_id):
            started = time.monotonic()
            run = self._run(job, formats, out_dir, on_progress)
        outcome = COUNTED.get(run.outcome)
        if outcome is not None:
            seconds = time.monotonic() - started if outcome == "succeeded" else 0.0
            self._metrics.job_finished(job.city, outcome, seconds, run.audio_seconds)
        if run.outcome is Outcome.SUCCEEDED:
            count_captions(self._metrics, job.city, run.outputs)
        return run

    def _run(self, job: Job, formats: Sequence[str], out_dir: Path | None,
             on_progress: JobProgress | None) -> Run:
        if job.attempts > self._policy.max_attempts:
            return self._fail(job, f"gave up after {job.attempts - 1} attempts "
                                   "(the worker stopped each time: killed, or out of memory?)")
        path = job.path or self._recording_path(job)
        log.info("job started", extra={"attempt": job.attempts, "path": str(path),
                                       "worker": self._worker})
        watch = Watch(self._repo, job, self._policy, on_progress, self._liveness, self._worker,
                      self._stopping)
        checkpoint = self._checkpoint(job)
        with watch:   # until the result is saved: the reconciler must see this worker alive
            try:
                with rendered.kept_for(self._kept, job.recording_id):
                    captioned = self._captioning.caption(
                        path, formats, out_dir, watch.progress, watch.stop_requested,
                        self._vocabulary(job.city), checkpoint,
                        model=job.model or self._model(job.city))
            except Cancelled:
                if watch.overtime is not None:
                    return self._fail(job, f"took longer than its time limit "
                                           f"({watch.overtime:.0f}s)")
                return self._stops.stopped(job, watch, checkpoint)
            except MediaError as exc:
                return self._fail(job, f"{exc.path}: {exc.reason}")
            except GatewayUnavailable as exc:
                watch.stop()
                if out_dir is not None:
                    # Files for a command's own folder (--out): no worker would write there
                    # for it later, so it is not handed to the queue; the person is told.
                    return self._fail(job, f"{exc} (captions for {out_dir}; run the command "
                                           "again)")
                return self._release(job, str(exc))
            except ArchivistError as exc:
                return self._fail(job, str(exc))
            # A KeyboardInterrupt (Ctrl-C, or SIGTERM, which the CLI raises as one) goes up
            # as it is: whoever ran the job (caption_here, take) decides what becomes of it.
            except Exception as exc:
                wrapped = interrupt_within(exc)
                if wrapped is not None:
                    # The stop landed inside code that wrapped it (a C extension's import
                    # turns it into "ImportError: initialization failed"): still a stop.
                    raise wrapped from None   # exc came from it: no loop in the chain
                # A bug must fail this job visibly, never leave it "running" for ever.
                log.exception("job crashed", extra={"path": str(path)})
                return self._fail(job, f"internal error: {type(exc).__name__}: {exc}")
            return self._succeed(job, captioned)

    def _checkpoint(self, job: Job) -> Checkpoint | None:
        """What earlier attempts decoded of this job's recording, to go on from."""
        if self._checkpoints is None or self._policy.checkpoint_every <= 0:
            return None
        return Checkpoint.resume(self._checkpoints, job.recording_id,
                                 self._policy.checkpoint_every)

    def _forget_checkpoint(self, job: Job) -> None:
        """The job is over for good (done, failed or cancelled): nothing to resume."""
        if self._checkpoints is not None:
            self._checkpoints.drop(job.recording_id)

    def _vocabulary(self, city: str) -> tuple[str, ...]:
        """The names and terms of the city a job belongs to: configured, then those staff
        taught it while correcting (none for a city not configured)."""
        configured = next((c.vocabulary for c in self._library.cities() if c.name == city), ())
        if self._learned is None or not city:
            return configured
        try:
            return merged(configured, self._learned.learned(city))
        except ArchivistError as exc:   # hints only: the job goes on without the learned ones
            log.warning("learned vocabulary unavailable", extra={"city": city, "reason": str(exc)})
            return configured

    def _model(self, city: str) -> str:
        """The Whisper model a job's city names (empty: the station's whisper.model)."""
        return next((c.model for c in self._library.cities() if c.name == city), "")

    def _succeed(self, job: Job, captioned: Captioned) -> Run:
        outputs = [str(p) for p in captioned.outputs]
        notes = [*job.notes, *captioned.notes]   # earlier attempts' notes stay on the job
        done = self._patiently(lambda: self._repo.succeed(
            stored_id(job), job.attempts, captioned.transcript, notes, outputs))
        if done is None:
            return self._stops.lost(job, list(captioned.outputs))
        self._forget_checkpoint(job)
        log.info("job finished", extra={"state": "succeeded", "outputs": len(outputs)})
        self._follow_ups.finished(done)
        return Run(done, Outcome.SUCCEEDED, outputs=list(captioned.outputs),
                   audio_seconds=captioned.transcript.duration)

    def _fail(self, job: Job, error: str) -> Run:
        log.info("job finished", extra={"state": "failed", "error": error})
        self._forget_checkpoint(job)
        done = self._patiently(lambda: self._repo.transition(
            stored_id(job), [JobState.RUNNING], JobState.FAILED, attempt=job.attempts,
            error=error))
        return Run(done or job, Outcome.FAILED if done else Outcome.LOST)

    def _release(self, job: Job, reason: str) -> Run:
        """A transient failure: back to the queue with a delay, or failed when out of attempts."""
        if job.attempts >= self._policy.max_attempts:
            return self._fail(job, f"{reason} (gave up after {job.attempts} attempts)")
        delay = self._policy.retry_delay * 2 ** (job.attempts - 1)
        note = f"attempt {job.attempts} stopped: {reason}; retrying"
        try:
            back = self._repo.transition(stored_id(job), [JobState.RUNNING], JobState.QUEUED,
                                         attempt=job.attempts, error=reason,
                                         notes=[*job.notes, note],
                                         retry_at=self._clock() + timedelta(seconds=delay))
            if back is not None:
                self._queue.enqueue(stored_id(back), back.priority, delay=delay)
        except GatewayUnavailable as exc:
            # The job stays "running" until its heartbeat goes stale; the reconciler takes it.
            log.warning("release failed", extra={"error": exc.reason})
            back = None
        log.info("job requeued", extra={"reason": reason, "delay": round(delay)})
        return Run(back or job, Outcome.REQUEUED, retry_in=delay)

    def _patiently(self, write: Callable[[], Job | None]) -> Job | None:
        """Keep a finished job's result through a database outage of up to `database_patience`."""
        deadline = time.monotonic() + self._policy.database_patience
        pause = 1.0
        while True:
            try:
                return write()
            except GatewayUnavailable as exc:
                if time.monotonic() + pause > deadline:
                    raise
                log.warning("waiting for the database", extra={"reason": exc.reason,
                                                               "retry_in": pause})
                time.sleep(pause)
                pause = min(pause * 2, 30.0)

    def _recording_path(self, job: Job) -> Path:
        recording = self._repo.recording(job.recording_id)
        if recording is None:
            raise NotFound(f"recording {job.recording_id} of job {job.id} does not exist")
        return recording.path

