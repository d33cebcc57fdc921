"""Captioning a recording: transcribe it, keep the transcript, write the sidecars beside it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archivist.domain import captions
from archivist.domain.captions.guards import clean
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import ArchivistError, Cancelled, MediaError, NotFound
from archivist.domain.models import Job, JobState, Recording, Transcript
from archivist.domain.ports import MediaLibrary, Repository, Transcriber

log = logging.getLogger("archivist.captioning")

# Called with (fraction done 0..1, estimated seconds left or None).
JobProgress = Callable[[float, float | None], None]
# How often a running job's progress is written to the database, in seconds.
_SAVE_EVERY = 2.0


@dataclass(slots=True)
class Outcome:
    """What became of one recording in a captioning run."""

    media: Path
    status: str                       # "done", "skipped" or "failed"
    job: Job | None = None
    outputs: list[Path] = field(default_factory=list)
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def sidecar_path(media: Path, fmt: str, out_dir: Path | None = None) -> Path:
    """Where a format's file goes: beside the recording, same base name (Cablecast's rule)."""
    return (out_dir or media.parent) / (media.stem + captions.EXTENSIONS[fmt])


def _now() -> datetime:
    return datetime.now(UTC)


class Captioning:
    """The main job: one recording in, caption files and a stored transcript out."""

    def __init__(self, repository: Repository, transcriber: Transcriber, library: MediaLibrary,
                 settings: CaptionSettings) -> None:
        self._repo = repository
        self._transcriber = transcriber
        self._library = library
        self._settings = settings

    def caption_file(self, media: Path, formats: Sequence[str], out_dir: Path | None = None,
                     force: bool = False, on_progress: JobProgress | None = None,
                     cancelled: Callable[[], bool] | None = None, city: str = "") -> Outcome:
        """Caption one file, unless the same content was captioned before (then reuse it)."""
        media = Path(media)
        try:
            content_hash = self._library.fingerprint(media)
            size = self._library.size(media)
        except FileNotFoundError:
            return Outcome(media, "failed", error=f"{media}: no such file")
        except (IsADirectoryError, PermissionError) as exc:
            return Outcome(media, "failed", error=f"{media}: cannot read ({exc.strerror})")
        except ArchivistError as exc:
            return Outcome(media, "failed", error=str(exc))

        recording = self._repo.recording_by_hash(content_hash)
        if recording is not None and not force:
            reused = self._reuse(recording, media, formats, out_dir)
            if reused is not None:
                return reused
        if recording is None:
            recording = self._repo.add_recording(
                Recording(path=media, content_hash=content_hash, size=size, city=city))
        job = self._repo.add_job(Job(recording_id=recording.id))
        return self._run(job, media, formats, out_dir, on_progress, cancelled)

    def run_job(self, job_id: int, formats: Sequence[str], out_dir: Path | None = None,
                on_progress: JobProgress | None = None,
                cancelled: Callable[[], bool] | None = None) -> Outcome:
        """Run a queued job (the worker's entry)."""
        job = self._repo.job(job_id)
        if job is None:
            raise NotFound(f"job {job_id} does not exist")
        recording = self._repo.recording(job.recording_id)
        if recording is None:
            raise NotFound(f"recording {job.recording_id} of job {job_id} does not exist")
        return self._run(job, recording.path, formats, out_dir, on_progress, cancelled)

    def _reuse(self, recording: Recording, media: Path, formats: Sequence[str],
               out_dir: Path | None) -> Outcome | None:
        """Skip work already done: write any missing sidecar from the stored transcript."""
        job = self._repo.latest_job(recording.id)
        if job is None or job.state is not JobState.SUCCEEDED:
            return None
        missing = [f for f in formats if not sidecar_path(media, f, out_dir).exists()]
        outputs: list[Path] = []
        if missing:
            transcript = self._repo.transcript(recording.id)
            if transcript is None:
                return None
            outputs = self._write(clean(transcript), media, missing, out_dir)
        return Outcome(media, "skipped", job=job, outputs=outputs,
                       notes=[f"already captioned (job {job.id})"])

    def _run(self, job: Job, media: Path, formats: Sequence[str], out_dir: Path | None,
             on_progress: JobProgress | None, cancelled: Callable[[], bool] | None) -> Outcome:
        job.state, job.started_at, job.progress, job.error = JobState.RUNNING, _now(), 0.0, None
        self._repo.save_job(job)
        log.info("event=job_started job=%s media=%s", job.id, media)
        tracker = _ProgressTracker(job, self._repo, on_progress)
        try:
            transcript = self._transcriber.transcribe(media, tracker, cancelled or (lambda: False))
            cleaned = clean(transcript)
            self._repo.save_transcript(job.recording_id, job.id, transcript)
            outputs = self._write(cleaned, media, formats, out_dir)
        except Cancelled:
            return self._finish(job, media, JobState.CANCELLED, error="cancelled")
        except MediaError as exc:
            return self._finish(job, media, JobState.FAILED, error=f"{media}: {exc.reason}")
        except ArchivistError as exc:
            return self._finish(job, media, JobState.FAILED, error=str(exc))
        except Exception as exc:
            # A bug must fail this job visibly, never leave it "running" for ever.
            log.exception("event=job_crashed job=%s media=%s", job.id, media)
            return self._finish(job, media, JobState.FAILED,
                                error=f"internal error: {type(exc).__name__}: {exc}")
        job.notes = list(cleaned.notes)
        job.outputs = [str(p) for p in outputs]
        job.progress, job.eta_seconds = 1.0, 0.0
        return self._finish(job, media, JobState.SUCCEEDED, outputs=outputs)

    def _finish(self, job: Job, media: Path, state: JobState, error: str | None = None,
                outputs: list[Path] | None = None) -> Outcome:
        job.state, job.error, job.finished_at = state, error, _now()
        self._repo.save_job(job)
        log.info("event=job_finished job=%s state=%s media=%s error=%r", job.id, state, media, error)
        status = {JobState.SUCCEEDED: "done"}.get(state, "failed")
        return Outcome(media, status, job=job, outputs=outputs or [], error=error, notes=list(job.notes))

    def _write(self, cleaned: Transcript, media: Path, formats: Sequence[str],
               out_dir: Path | None) -> list[Path]:
        rendered = captions.render_cleaned(cleaned, formats, self._settings)
        return [self._library.write_sidecar(sidecar_path(media, fmt, out_dir), text)
                for fmt, text in rendered.items()]


class _ProgressTracker:
    """Turns the transcriber's progress into an ETA, saved on the job now and then."""

    def __init__(self, job: Job, repo: Repository, forward: JobProgress | None) -> None:
        self._job, self._repo, self._forward = job, repo, forward
        self._started = time.monotonic()
        self._saved = 0.0

    def __call__(self, fraction: float, _media_seconds: float) -> None:
        elapsed = time.monotonic() - self._started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0.02 else None
        self._job.progress, self._job.eta_seconds = float(fraction), eta
        if self._forward:
            self._forward(fraction, eta)
        if elapsed - self._saved >= _SAVE_EVERY:
            self._saved = elapsed
            self._repo.save_job(self._job)
