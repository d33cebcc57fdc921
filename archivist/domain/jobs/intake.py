"""Asking for captions: one door for the scanner, publications, the web and the CLI.

A recording whose content was captioned before gets its missing sidecars from the stored
transcript; a recording already queued or running keeps its one job; anything else is queued,
and its ticket sent (a queue that is down leaves the job saved for the reconciler to send).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from archivist.domain.captioning import Captioning
from archivist.domain.errors import GatewayUnavailable
from archivist.domain.jobs.outcomes import Submission, count_captions, stored_id
from archivist.domain.metrics import Metrics
from archivist.domain.models import Job, JobState, Priority, Recording
from archivist.domain.ports import JobQueue, MediaLibrary, Repository
from archivist.domain.recordings import recording_at

log = logging.getLogger("archivist.jobs")
UNREACHABLE = "the queue is unreachable: the job is saved and will be sent when it is back"


class Intake:
    """Turns "caption this" into at most one queued job per recording."""

    def __init__(self, repository: Repository, queue: JobQueue, library: MediaLibrary,
                 captioning: Captioning, metrics: Metrics) -> None:
        self._repo = repository
        self._queue = queue
        self._library = library
        self._captioning = captioning
        self._metrics = metrics

    def submit(self, path: Path, city: str = "", priority: int = Priority.NORMAL,
               force: bool = False, formats: Sequence[str] = (), out_dir: Path | None = None,
               send: bool = True, again: bool = True, model: str = "",
               claim_as: str = "") -> Submission:
        """Queue a recording for captioning, unless its content is done or already queued;
        `model`, the Whisper model staff chose for it (empty: its city's).

        Content captioned before gets its missing `formats` written from the stored transcript
        (a renamed or copied recording), unless `force`. Content whose last job failed or was
        cancelled is queued again only when asked `again` (a person asking, not a scan). With
        `send`, a ticket goes to the broker; a broker that is down leaves the job queued for
        the reconciler to send. With `claim_as` (the worker that runs it at once: the CLI), a
        new job is stored already claimed by it, in the one transaction, and no ticket is sent:
        it is never queued with none. An active job found instead is returned as it is.
        """
        if not city:
            found = self._library.city_of(path)
            city = found.name if found else ""
        recording = self.recording_at(path, city)
        if not force:
            latest = self._repo.latest_job(stored_id(recording))
            reused = self._reuse(recording, latest, path, formats, out_dir)
            if reused is not None:
                return reused
            if not again:
                if latest is not None and latest.state in (JobState.FAILED, JobState.CANCELLED):
                    return Submission(latest, False, note=(
                        f"{latest.state} before (job {latest.id}: {latest.error}); "
                        f"`archivist jobs retry {latest.id}` tries again"))
        job, created = self._repo.queue_job(Job(recording_id=stored_id(recording), path=path,
                                                city=city, priority=priority, model=model),
                                            claimed_by=claim_as)
        if not created:   # (a job held under `claim_as`'s name is another process's too)
            return Submission(job, False, note=f"already {job.state} as job {job.id}")
        note = self.send(job) if send and not claim_as else ""
        if claim_as:   # run at once by the process that asked: it never waits in the queue
            log.info("job held", extra={"job_id": job.id, "city": city, "path": str(path),
                                        "worker": claim_as})
        else:
            log.info("job queued", extra={"job_id": job.id, "city": city, "path": str(path)})
        return Submission(job, True, note=note)

    def send(self, job: Job) -> str:
        """Send a queued job's ticket; what to tell a person when the queue is unreachable."""
        try:
            self._queue.enqueue(stored_id(job), job.priority)
        except GatewayUnavailable as exc:
            log.warning("enqueue failed", extra={"job_id": job.id, "error": exc.reason})
            return UNREACHABLE
        return ""

    def recording_at(self, path: Path, city: str = "") -> Recording:
        """The recording stored at `path`: hashed once, then known by size and mtime."""
        return recording_at(self._repo, self._library, path, city)

    def _reuse(self, recording: Recording, latest: Job | None, path: Path,
               formats: Sequence[str], out_dir: Path | None = None) -> Submission | None:
        """Write missing sidecars of done content from its stored transcript, without the model."""
        if latest is None or latest.state is not JobState.SUCCEEDED:
            return None
        missing = self._captioning.missing(path, formats, out_dir)
        outputs: list[Path] = []
        if missing:
            transcript = self._repo.transcript(stored_id(recording))
            if transcript is None:
                return None
            outputs = self._captioning.write(transcript, path, missing, out_dir)
            count_captions(self._metrics, recording.city, outputs)
        return Submission(latest, False, reused=True, outputs=tuple(outputs),
                          note=f"already captioned (job {latest.id})")
