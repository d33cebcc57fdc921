"""The job rules: submit, claim, run, decide, cancel, retry, prioritise, reconcile.

The database is the truth about jobs; the broker carries tickets. A ticket names a job, but a
worker holding one claims the best queued job (highest priority, then newest), so "caption
this now" overtakes the backlog on any broker, tonight's meeting comes before last month's,
and a ticket is never wasted while a job waits.
Every state change is a compare-and-set in the repository, so a ticket delivered twice, a
worker killed mid-job, or a late write from a worker that lost its job changes nothing twice.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archivist.domain import logcontext
from archivist.domain.captioning import REPORT, Captioned, Captioning
from archivist.domain.captions import EXTENSIONS
from archivist.domain.errors import (
    ArchivistError,
    Cancelled,
    Conflict,
    GatewayUnavailable,
    MediaError,
    NotFound,
)
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Job, JobState, Priority, Recording
from archivist.domain.ports import JobQueue, KnownFile, MediaLibrary, Repository

log = logging.getLogger("archivist.jobs")

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


class Jobs:
    """The one place that decides what happens to a job."""

    def __init__(self, repository: Repository, queue: JobQueue, library: MediaLibrary,
                 captioning: Captioning, policy: JobPolicy, worker: str,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 metrics: Metrics | None = None) -> None:
        self._repo = repository
        self._queue = queue
        self._library = library
        self._captioning = captioning
        self._policy = policy
        self._worker = worker
        self._clock = clock
        self._metrics = metrics or NoMetrics()

    # Asking for captions

    def submit(self, path: Path, city: str = "", priority: int = Priority.NORMAL,
               force: bool = False, formats: Sequence[str] = (), out_dir: Path | None = None,
               send: bool = True, again: bool = True) -> Submission:
        """Queue a recording for captioning, unless its content is done or already queued.

        Content captioned before gets its missing `formats` written from the stored transcript
        (a renamed or copied recording), unless `force`. Content whose last job failed or was
        cancelled is queued again only when asked `again` (a person asking, not a scan). With
        `send`, a ticket goes to the broker; a broker that is down leaves the job queued for
        the reconciler to send.
        """
        if not city:
            found = self._library.city_of(path)
            city = found.name if found else ""
        recording = self.recording_at(path, city)
        if not force:
            latest = self._repo.latest_job(self._id(recording))
            reused = self._reuse(recording, latest, path, formats, out_dir)
            if reused is not None:
                return reused
            if not again:
                if latest is not None and latest.state in (JobState.FAILED, JobState.CANCELLED):
                    return Submission(latest, False, note=(
                        f"{latest.state} before (job {latest.id}: {latest.error}); "
                        f"`archivist jobs retry {latest.id}` tries again"))
        job, created = self._repo.queue_job(Job(recording_id=self._id(recording), path=path,
                                                city=city, priority=priority))
        if not created:
            return Submission(job, False, note=f"already {job.state} as job {job.id}")
        note = ""
        if send:
            try:
                self._queue.enqueue(self._id(job), job.priority)
            except GatewayUnavailable as exc:
                log.warning("enqueue failed", extra={"job_id": job.id, "error": exc.reason})
                note = "the queue is unreachable: the job is saved and will be sent when it is back"
        log.info("job queued", extra={"job_id": job.id, "city": city, "path": str(path)})
        return Submission(job, True, note=note)

    def recording_at(self, path: Path, city: str = "") -> Recording:
        """The recording stored at `path`: hashed once, then known by size and mtime."""
        media = self._library.stat(path)
        known = self._repo.known_file(path)
        if known is not None and (known.size, known.mtime) == (media.size, media.mtime):
            content_hash = known.content_hash
        else:
            content_hash = self._library.fingerprint(path)
            self._repo.remember_file(KnownFile(path, media.size, media.mtime, content_hash))
        return self._repo.add_recording(Recording(path=path, content_hash=content_hash,
                                                  size=media.size, city=city))

    def _reuse(self, recording: Recording, latest: Job | None, path: Path,
               formats: Sequence[str], out_dir: Path | None = None) -> Submission | None:
        """Write missing sidecars of done content from its stored transcript, without the model."""
        if latest is None or latest.state is not JobState.SUCCEEDED:
            return None
        missing = self._captioning.missing(path, formats, out_dir)
        outputs: list[Path] = []
        if missing:
            transcript = self._repo.transcript(self._id(recording))
            if transcript is None:
                return None
            outputs = self._captioning.write(transcript, path, missing, out_dir)
            self._count_captions(recording.city, outputs)
        return Submission(latest, False, reused=True, outputs=tuple(outputs),
                          note=f"already captioned (job {latest.id})")

    # Running

    def take(self, job_id: int, formats: Sequence[str]) -> Run:
        """A worker's ticket for `job_id`: claim the best queued job and run it."""
        job = self._claim_for_ticket(job_id)
        if job is None:
            return Run(None, Outcome.IDLE)
        return self.run_claimed(job, formats)

    def caption_here(self, path: Path, formats: Sequence[str], out_dir: Path | None = None,
                     force: bool = False, on_progress: JobProgress | None = None,
                     city: str = "") -> Run:
        """Caption a recording in this process (the CLI), through a job like any other."""
        submission = self.submit(path, city=city, force=force, formats=formats, out_dir=out_dir,
                                 send=False)
        if submission.reused:
            return Run(submission.job, Outcome.REUSED, outputs=list(submission.outputs))
        job = submission.job
        assert job is not None
        claimed = self._repo.claim(self._id(job), self._worker, self._stale_before())
        if claimed is None:
            raise Conflict(f"{path}: already being captioned as job {job.id} "
                           f"by {job.worker or 'a worker'}")
        return self.run_claimed(claimed, formats, out_dir, on_progress)

    def run_claimed(self, job: Job, formats: Sequence[str], out_dir: Path | None = None,
                    on_progress: JobProgress | None = None) -> Run:
        """Run a job this process holds, decide what becomes of it, and report how it ended."""
        with logcontext.bound(job_id=job.id, city=job.city or None, recording=job.recording_id):
            started = time.monotonic()
            run = self._run(job, formats, out_dir, on_progress)
        outcome = _COUNTED.get(run.outcome)
        if outcome is not None:
            seconds = time.monotonic() - started if outcome == "succeeded" else 0.0
            self._metrics.job_finished(job.city, outcome, seconds, run.audio_seconds)
        if run.outcome is Outcome.SUCCEEDED:
            self._count_captions(job.city, run.outputs)
        return run

    def _count_captions(self, city: str, outputs: Sequence[Path]) -> None:
        for path in outputs:
            if path.name.endswith(REPORT):   # the compliance report is not a caption file
                continue
            fmt = _FORMAT_OF.get(path.suffix.lower())
            if fmt is not None:
                self._metrics.captions_written(city, fmt)

    def _run(self, job: Job, formats: Sequence[str], out_dir: Path | None,
             on_progress: JobProgress | None) -> Run:
        if job.attempts > self._policy.max_attempts:
            return self._fail(job, f"gave up after {job.attempts - 1} attempts "
                                   "(the worker stopped each time: killed, or out of memory?)")
        path = job.path or self._recording_path(job)
        log.info("job started", extra={"attempt": job.attempts, "path": str(path),
                                       "worker": self._worker})
        watch = _Watch(self._repo, job, self._policy, on_progress)
        try:
            with watch:
                captioned = self._captioning.caption(path, formats, out_dir, watch.progress,
                                                     watch.stop_requested, self._vocabulary(job.city),
                                                     self._model(job.city))
        except Cancelled:
            return self._stopped(job, watch)
        except MediaError as exc:
            return self._fail(job, f"{exc.path}: {exc.reason}")
        except GatewayUnavailable as exc:
            return self._release(job, str(exc))
        except ArchivistError as exc:
            return self._fail(job, str(exc))
        except KeyboardInterrupt:
            # Ctrl-C in the CLI: the person stopped it; say so on the job, then stop.
            self._repo.transition(self._id(job), [JobState.RUNNING], JobState.CANCELLED,
                                  attempt=job.attempts, error="interrupted (Ctrl-C)")
            raise
        except Exception as exc:
            # A bug must fail this job visibly, never leave it "running" for ever.
            log.exception("job crashed", extra={"path": str(path)})
            return self._fail(job, f"internal error: {type(exc).__name__}: {exc}")
        return self._succeed(job, captioned)

    def _vocabulary(self, city: str) -> tuple[str, ...]:
        """The names and terms of the city a job belongs to (none for a city not configured)."""
        return next((c.vocabulary for c in self._library.cities() if c.name == city), ())

    def _model(self, city: str) -> str:
        """The Whisper model a job's city names (empty: the station's whisper.model)."""
        return next((c.model for c in self._library.cities() if c.name == city), "")

    def _claim_for_ticket(self, job_id: int) -> Job | None:
        """The job a ticket should run: the most urgent queued one, newest first."""
        for _ in range(5):  # another worker may win a race; a few tries settle it
            claim = self._repo.claim_next(job_id, self._worker, self._stale_before(),
                                          self._clock())
            if claim is not None:
                if claim.taken_from is not None:
                    claim.job.notes.append(f"worker {claim.taken_from} stopped answering during "
                                           f"attempt {claim.job.attempts - 1}; taken over")
                return claim.job
            if self._repo.next_queued(above=-1, now=self._clock()) is None:
                return None
        return None

    def _succeed(self, job: Job, captioned: Captioned) -> Run:
        outputs = [str(p) for p in captioned.outputs]
        notes = [*job.notes, *captioned.notes]   # earlier attempts' notes stay on the job
        done = self._patiently(lambda: self._repo.succeed(
            self._id(job), job.attempts, captioned.transcript, notes, outputs))
        if done is None:
            return self._lost(job, list(captioned.outputs))
        log.info("job finished", extra={"state": "succeeded", "outputs": len(outputs)})
        return Run(done, Outcome.SUCCEEDED, outputs=list(captioned.outputs),
                   audio_seconds=captioned.transcript.duration)

    def _fail(self, job: Job, error: str) -> Run:
        log.info("job finished", extra={"state": "failed", "error": error})
        done = self._patiently(lambda: self._repo.transition(
            self._id(job), [JobState.RUNNING], JobState.FAILED, attempt=job.attempts, error=error))
        return Run(done or job, Outcome.FAILED if done else Outcome.LOST)

    def _release(self, job: Job, reason: str) -> Run:
        """A transient failure: back to the queue with a delay, or failed when out of attempts."""
        if job.attempts >= self._policy.max_attempts:
            return self._fail(job, f"{reason} (gave up after {job.attempts} attempts)")
        delay = self._policy.retry_delay * 2 ** (job.attempts - 1)
        note = f"attempt {job.attempts} stopped: {reason}; retrying"
        try:
            back = self._repo.transition(self._id(job), [JobState.RUNNING], JobState.QUEUED,
                                         attempt=job.attempts, error=reason,
                                         notes=[*job.notes, note],
                                         retry_at=self._clock() + timedelta(seconds=delay))
            if back is not None:
                self._queue.enqueue(self._id(back), back.priority, delay=delay)
        except GatewayUnavailable as exc:
            # The job stays "running" until its heartbeat goes stale; the reconciler takes it.
            log.warning("release failed", extra={"error": exc.reason})
            back = None
        log.info("job requeued", extra={"reason": reason, "delay": round(delay)})
        return Run(back or job, Outcome.REQUEUED, retry_in=delay)

    def _stopped(self, job: Job, watch: _Watch) -> Run:
        if watch.overtime is not None:
            return self._fail(job, f"took longer than its time limit ({watch.overtime:.0f}s)")
        current = self._repo.job(self._id(job))
        if current is not None and current.state is JobState.CANCELLED:
            log.info("job finished", extra={"state": "cancelled"})
            return Run(current, Outcome.CANCELLED)
        return self._lost(job, [])

    def _lost(self, job: Job, written: list[Path]) -> Run:
        """This attempt no longer holds the job (cancelled, or recovered by the reconciler)."""
        current = self._repo.job(self._id(job))
        if current is not None and current.state is JobState.CANCELLED:
            for path in written:   # a cancelled job leaves no sidecar behind
                self._library.remove(path)
            return Run(current, Outcome.CANCELLED)
        log.warning("job lost", extra={"attempt": job.attempts,
                                       "now": str(current.state) if current else "gone"})
        return Run(current, Outcome.LOST)

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
                log.warning("waiting for the database", extra={"reason": exc.reason, "retry_in": pause})
                time.sleep(pause)
                pause = min(pause * 2, 30.0)

    # Staff actions

    def cancel(self, job_id: int) -> Job:
        """Cancel a queued or running job; a running one stops within a heartbeat."""
        job = self._repo.transition(job_id, ACTIVE, JobState.CANCELLED, error="cancelled by staff")
        return job or self._refuse(job_id, "cancel", "it is not queued or running")

    def retry(self, job_id: int) -> Job:
        """Queue a failed or cancelled job again, with a fresh budget of attempts."""
        job = self._repo.transition(job_id, [JobState.FAILED, JobState.CANCELLED],
                                    JobState.QUEUED, reset_attempts=True)
        if job is None:
            return self._refuse(job_id, "retry", "only failed or cancelled jobs can be retried")
        self._send(job)
        return job

    def prioritize(self, job_id: int, priority: int) -> Job:
        """Change a job's priority; a queued job runs by its new place at the next free worker."""
        job = self._repo.set_priority(job_id, priority)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        return job

    def _refuse(self, job_id: int, action: str, why: str) -> Job:
        job = self._repo.job(job_id)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        raise Conflict(f"cannot {action} job {job_id}: it is {job.state}; {why}")

    def _send(self, job: Job) -> None:
        try:
            self._queue.enqueue(self._id(job), job.priority)
        except GatewayUnavailable as exc:
            log.warning("enqueue failed", extra={"job_id": job.id, "error": exc.reason})

    # Keeping the queue honest

    def reconcile(self) -> Reconciled:
        """Recover running jobs whose worker went silent; send tickets the broker lost."""
        recovered, given_up = [], []
        for job in self._repo.stale_jobs(self._stale_before()):
            if job.attempts >= self._policy.max_attempts:
                if self._repo.transition(self._id(job), [JobState.RUNNING], JobState.FAILED,
                                         attempt=job.attempts,
                                         error=f"gave up after {job.attempts} attempts: the "
                                               "worker stopped answering each time"):
                    given_up.append(self._id(job))
                continue
            note = f"worker {job.worker or '?'} stopped answering; re-queued"
            if self._repo.transition(self._id(job), [JobState.RUNNING], JobState.QUEUED,
                                     attempt=job.attempts, notes=[*job.notes, note]):
                recovered.append(self._id(job))
        # Jobs waiting out a retry delay have a delayed ticket of their own; the rest need one
        # ticket each in the broker. Extra tickets are harmless (a ticket with nothing to
        # claim does nothing), so any shortfall is simply sent again.
        depth = self._queue.depth()
        due, first = self._repo.due_jobs(self._clock(), limit=1000)
        sent = 0
        for job in first[:max(0, due - depth)]:
            self._queue.enqueue(self._id(job), job.priority)
            sent += 1
        if recovered or given_up or sent:
            log.info("reconciled", extra={"recovered": recovered, "given_up": given_up,
                                          "tickets": sent})
        return Reconciled(tuple(recovered), tuple(given_up), sent)

    # Helpers

    def _stale_before(self) -> datetime:
        return self._clock() - timedelta(seconds=self._policy.stale_after)

    def _is_stale(self, job: Job) -> bool:
        return job.state is JobState.RUNNING and (
            job.heartbeat_at is None or job.heartbeat_at < self._stale_before())

    def _recording_path(self, job: Job) -> Path:
        recording = self._repo.recording(job.recording_id)
        if recording is None:
            raise NotFound(f"recording {job.recording_id} of job {job.id} does not exist")
        return recording.path

    @staticmethod
    def _id(thing: Job | Recording) -> int:
        assert thing.id is not None, "stored jobs and recordings have ids"
        return thing.id


# How monitoring counts a run's outcome; lost and idle runs did nothing to count.
_COUNTED = {Outcome.SUCCEEDED: "succeeded", Outcome.FAILED: "failed",
            Outcome.CANCELLED: "cancelled", Outcome.REQUEUED: "retried"}
_FORMAT_OF = {extension: fmt for fmt, extension in EXTENSIONS.items()}


class _Watch:
    """Beside a running job: a heartbeat thread that reports progress and notices a cancel,
    and the job's time limit, scaled to the recording's length once that is known."""

    def __init__(self, repo: Repository, job: Job, policy: JobPolicy,
                 forward: JobProgress | None) -> None:
        self._repo, self._job, self._policy, self._forward = repo, job, policy, forward
        self._started = time.monotonic()
        self._fraction: float = 0.0
        self._eta: float | None = None
        self._limit = float("inf")
        self._taken = threading.Event()   # cancelled, or recovered by the reconciler
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name=f"heartbeat-job-{job.id}")
        self.overtime: float | None = None

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=self._policy.heartbeat_seconds + 5)

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
        return self._taken.is_set()

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



def job_summary(job: Job) -> dict[str, object]:
    """A job as the CLI's --json and the API show it (plain JSON types)."""
    def when(at: datetime | None) -> str | None:
        return at.isoformat() if at else None
    return {"id": job.id, "state": str(job.state), "path": str(job.path) if job.path else None,
            "city": job.city, "priority": int(job.priority), "progress": round(job.progress, 4),
            "eta_seconds": None if job.eta_seconds is None else round(job.eta_seconds, 1),
            "attempts": job.attempts, "error": job.error, "notes": list(job.notes),
            "outputs": list(job.outputs), "worker": job.worker, "recording_id": job.recording_id,
            "created_at": when(job.created_at), "started_at": when(job.started_at),
            "finished_at": when(job.finished_at), "heartbeat_at": when(job.heartbeat_at),
            "retry_at": when(job.retry_at)}
