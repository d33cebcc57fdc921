"""Hand-written fakes of the domain's ports, for unit tests of the services."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from archivist.domain.errors import Conflict, MediaError, NotFound
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import (
    City,
    Claim,
    Job,
    JobCount,
    JobState,
    KnownFile,
    MediaFile,
    Publication,
    Recording,
    Segment,
    Transcript,
    Word,
)
from archivist.domain.ports import CancelCheck, Progress, Resumable


class InMemoryRepository:
    """The Repository port in a few dicts, keeping the contract in domain/ports.py.

    tests/contracts/ runs the same suite against this and the SQL repository.
    """

    def __init__(self) -> None:
        self.recordings: dict[int, Recording] = {}
        self._jobs: dict[int, Job] = {}
        self.transcripts: dict[int, Transcript] = {}
        self._files: dict[str, KnownFile] = {}
        self.publications: dict[int, tuple[Publication, int | None]] = {}
        self._lock = threading.Lock()   # one transaction at a time, as a database would
        self.clock = _now                # a test may move time, as the database's clock

    # Recordings

    def add_recording(self, recording: Recording) -> Recording:
        with self._lock:
            stored = self._by_hash(recording.content_hash)
            if stored is not None:
                return dataclasses.replace(stored)
            new_id = len(self.recordings) + 1
            recording = dataclasses.replace(recording, id=new_id,
                                            created_at=recording.created_at or self.clock())
            self.recordings[new_id] = recording
            return dataclasses.replace(recording)

    def recording(self, recording_id: int) -> Recording | None:
        found = self.recordings.get(recording_id)
        return dataclasses.replace(found) if found else None

    def recording_by_hash(self, content_hash: str) -> Recording | None:
        found = self._by_hash(content_hash)
        return dataclasses.replace(found) if found else None

    def _by_hash(self, content_hash: str) -> Recording | None:
        return next((r for r in self.recordings.values() if r.content_hash == content_hash), None)

    def known_file(self, path: Path) -> KnownFile | None:
        return self._files.get(str(path))

    def remember_file(self, known: KnownFile) -> None:
        self._files[str(known.path)] = known

    def files_known(self, paths: Sequence[Path]) -> dict[Path, tuple[int, Job | None]]:
        found: dict[Path, tuple[int, Job | None]] = {}
        for path in paths:
            known = self.known_file(path)
            recording = self._by_hash(known.content_hash) if known else None
            if recording is not None and recording.id is not None:
                found[Path(path)] = (recording.id, self.latest_job(recording.id))
        return found

    # Jobs

    def queue_job(self, job: Job, claimed_by: str = "") -> tuple[Job, bool]:
        with self._lock:
            if job.recording_id not in self.recordings:
                raise NotFound(f"recording {job.recording_id} does not exist")
            active = self._active(job.recording_id)
            if active is not None:
                return dataclasses.replace(active), False
            new_id = len(self._jobs) + 1
            stored = dataclasses.replace(job, id=new_id, state=JobState.QUEUED,
                                         attempts=0, created_at=job.created_at or self.clock(),
                                         notes=list(job.notes), outputs=list(job.outputs))
            self._jobs[new_id] = stored
            if claimed_by:
                return self._claim(stored, claimed_by), True
            return dataclasses.replace(stored), True

    def _active(self, recording_id: int) -> Job | None:
        return next((j for j in self._jobs.values()
                     if j.recording_id == recording_id and j.active), None)

    def job(self, job_id: int) -> Job | None:
        job = self._jobs.get(job_id)
        return dataclasses.replace(job) if job else None

    def jobs(self, state: JobState | None = None, city: str | None = None,
             limit: int = 50, offset: int = 0) -> list[Job]:
        newest_first = sorted(self._jobs.values(), key=_id_of, reverse=True)
        chosen = [j for j in newest_first
                  if state in (None, j.state) and city in (None, j.city)]
        return [dataclasses.replace(j) for j in chosen[offset:offset + limit]]

    def count_jobs(self, state: JobState) -> int:
        return sum(1 for j in self._jobs.values() if j.state is state)

    def job_counts(self) -> list[JobCount]:
        groups: dict[tuple[JobState, str], list[Job]] = {}
        for job in self._jobs.values():
            groups.setdefault((job.state, job.city), []).append(job)
        return [JobCount(state, city, len(jobs), min((j.created_at for j in jobs
                                                          if j.created_at), default=None))
                for (state, city), jobs in groups.items()]

    def due_jobs(self, now: datetime, limit: int) -> tuple[int, list[Job]]:
        due = sorted((j for j in self._jobs.values() if j.state is JobState.QUEUED
                      and (j.retry_at is None or j.retry_at <= now)), key=_best_first)
        return len(due), [dataclasses.replace(j) for j in due[:limit]]

    def latest_job(self, recording_id: int) -> Job | None:
        mine = [j for j in self._jobs.values() if j.recording_id == recording_id]
        return dataclasses.replace(max(mine, key=_id_of)) if mine else None

    def next_queued(self, above: int, now: datetime) -> Job | None:
        due = [j for j in self._jobs.values() if j.state is JobState.QUEUED
               and j.priority > above and (j.retry_at is None or j.retry_at <= now)]
        return dataclasses.replace(min(due, key=_best_first)) if due else None

    def claim_next(self, preferred: int, worker: str, stale_before: datetime,
                   now: datetime) -> Claim | None:
        with self._lock:
            due = [j for j in self._jobs.values() if j.state is JobState.QUEUED
                   and (j.retry_at is None or j.retry_at <= now or j.id == preferred)]
            if due:
                best = min(due, key=_best_first)
                return Claim(self._claim(best, worker), None)
            named = self._jobs.get(preferred)
            if named is not None and named.state is JobState.RUNNING and (
                    named.heartbeat_at is None or named.heartbeat_at < stale_before):
                silent = named.worker or "?"
                return Claim(self._claim(named, worker), silent)
            return None

    def _claim(self, job: Job, worker: str) -> Job:
        at = self.clock()
        job.state, job.attempts, job.worker = JobState.RUNNING, job.attempts + 1, worker
        job.started_at = job.heartbeat_at = at
        job.progress, job.eta_seconds, job.error = 0.0, None, None
        job.finished_at = job.retry_at = None
        return dataclasses.replace(job)

    def claim(self, job_id: int, worker: str, stale_before: datetime) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            stale = job.state is JobState.RUNNING and (
                job.heartbeat_at is None or job.heartbeat_at < stale_before)
            if job.state is not JobState.QUEUED and not stale:
                return None
            return self._claim(job, worker)

    def heartbeat(self, job_id: int, attempt: int, progress: float,
                  eta_seconds: float | None) -> bool:
        with self._lock:
            job = self._jobs.get(job_id)
            if not _still_this_attempts(job, attempt):
                return False
            assert job is not None
            job.state, job.retry_at = JobState.RUNNING, None
            job.started_at = job.started_at or self.clock()
            job.heartbeat_at, job.progress, job.eta_seconds = self.clock(), progress, eta_seconds
            return True

    def transition(self, job_id: int, leaving: Collection[JobState], to: JobState, *,
                   attempt: int | None = None, error: str | None = None,
                   notes: Sequence[str] | None = None, reset_attempts: bool = False,
                   retry_at: datetime | None = None, uncount: bool = False) -> Job | None:
        for state in leaving:
            if not state.may_become(to):
                raise ValueError(f"a {state} job cannot become {to}")
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state not in leaving:
                return None
            if attempt is not None and job.attempts != attempt:
                return None
            if to.value in ("queued", "running") and not job.active:
                other = self._active(job.recording_id)
                if other is not None:
                    raise Conflict(f"job {job_id}: its recording already has another active job")
            job.state, job.error = to, error
            job.finished_at = self.clock() if to.finished else None
            if to is JobState.QUEUED:
                job.progress, job.eta_seconds, job.heartbeat_at, job.started_at = 0.0, None, None, None
                job.retry_at = retry_at
            if reset_attempts:
                job.attempts = 0
            elif uncount:
                job.attempts -= 1
            if notes is not None:
                job.notes = list(notes)
            return dataclasses.replace(job)

    def succeed(self, job_id: int, attempt: int, transcript: Transcript,
                notes: Sequence[str], outputs: Sequence[str]) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if not _still_this_attempts(job, attempt):
                return None
            assert job is not None
            job.state, job.progress, job.eta_seconds, job.error = JobState.SUCCEEDED, 1.0, 0.0, None
            job.notes, job.outputs, job.finished_at = list(notes), [str(o) for o in outputs], self.clock()
            self.transcripts[job.recording_id] = transcript
            self.recordings[job.recording_id].duration = transcript.duration
            return dataclasses.replace(job)

    def set_priority(self, job_id: int, priority: int) -> Job | None:
        job = self._jobs.get(job_id)
        if job is None:
            return None
        job.priority = priority
        return dataclasses.replace(job)

    def stale_jobs(self, heartbeat_before: datetime) -> list[Job]:
        return [dataclasses.replace(j) for j in sorted(self._jobs.values(), key=_id_of)
                if j.state is JobState.RUNNING
                and (j.heartbeat_at is None or j.heartbeat_at < heartbeat_before)]

    # Transcripts

    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None:
        if recording_id not in self.recordings or job_id not in self._jobs:
            raise NotFound(f"recording {recording_id} or job {job_id} does not exist")
        self.transcripts[recording_id] = transcript

    def transcript(self, recording_id: int) -> Transcript | None:
        return self.transcripts.get(recording_id)

    def has_transcript(self, recording_id: int) -> bool:
        return recording_id in self.transcripts

    # Publications

    def save_publication(self, recording_id: int, publication: Publication,
                         chosen_show_id: int | None = None) -> None:
        self.publications[recording_id] = (publication, chosen_show_id)

    def publication(self, recording_id: int) -> tuple[Publication, int | None] | None:
        return self.publications.get(recording_id)

    def publications_due(self, cities: Sequence[str], limit: int) -> list[Job]:
        latest: dict[int, Job] = {}
        for job in self._jobs.values():
            best = latest.get(job.recording_id)
            if job.state is JobState.SUCCEEDED and (best is None or _id_of(job) > _id_of(best)):
                latest[job.recording_id] = job
        due = [j for j in latest.values() if j.city in cities and (
            j.recording_id not in self.publications
            or self.publications[j.recording_id][0].state in ("failed", "waiting"))]
        return [dataclasses.replace(j) for j in sorted(due, key=lambda j: -(j.id or 0))[:limit]]


def _now() -> datetime:
    return datetime.now(UTC)


def _best_first(job: Job) -> tuple[int, int]:
    return -job.priority, -(job.id or 0)


def spoken(*phrases: tuple[float, str], word_seconds: float = 0.35) -> Transcript:
    """A transcript of phrases, each starting at its time, one word every `word_seconds`."""
    segments = []
    for start, text in phrases:
        words, t = [], start
        for w in text.split():
            words.append(Word(t, t + word_seconds * 0.9, " " + w, 0.95))
            t += word_seconds
        segments.append(Segment(start, t, text, tuple(words), avg_logprob=-0.2, no_speech_prob=0.01))
    end = max((s.end for s in segments), default=0.0)
    return Transcript(tuple(segments), duration=end + 2.0, model="scripted")


class ScriptedTranscriber:
    """Returns a scripted transcript; a file whose name contains 'corrupt' is unusable media."""

    model_name = "scripted"

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.calls: list[Path] = []
        self.vocabularies: list[tuple[str, ...]] = []
        self.during: Callable[[], object] | None = None   # called half-way through
        self.fail_after: int | None = None   # segments decoded before the next run is cut off
        self.resumed_from: list[int] = []    # segments a checkpoint held, per resumed run
        self.models: list[str] = []

    def transcribe(self, media: Path, on_progress: Progress, cancelled: CancelCheck,
                   vocabulary: Sequence[str] = (), checkpoint: Resumable | None = None,
                   model: str = "") -> Transcript:
        self.calls.append(Path(media))
        self.vocabularies.append(tuple(vocabulary))
        self.models.append(model)
        if "corrupt" in Path(media).name:
            raise MediaError(media, "not a media file (no known audio/video format)")
        for i in range(1, 5):
            on_progress(i / 4, self.transcript.duration * i / 4)
            if i == 2 and self.during is not None:
                self.during()
        if checkpoint is not None:
            done = list(checkpoint.segments)
            if done:
                self.resumed_from.append(len(done))
            for segment in self.transcript.segments[len(done):]:
                if self.fail_after is not None and len(done) >= self.fail_after:
                    self.fail_after = None
                    from archivist.domain.errors import GatewayUnavailable

                    raise GatewayUnavailable("library", "the mount went away mid-job")
                done.append(segment)
                checkpoint.decoded(done, {"segments": len(done)})
        return self.transcript


class FolderLibrary:
    """The MediaLibrary port over temporary folders (one per city), without retries."""

    def __init__(self, cities: Sequence[City] = ()) -> None:
        self.written: list[Path] = []
        self.hashed: list[Path] = []
        self._cities = list(cities)

    def cities(self) -> Sequence[City]:
        return list(self._cities)

    def recordings(self, city: City) -> list[MediaFile]:
        if not city.path.is_dir():
            from archivist.domain.errors import GatewayUnavailable

            raise GatewayUnavailable("library", f"{city.name}: {city.path} is not mounted")
        found = [self.stat(p) for p in city.path.rglob("*")
                 if p.is_file() and p.suffix.lstrip(".") in city.extensions]
        return sorted(found, key=lambda f: f.mtime, reverse=True)

    def city_of(self, path: Path) -> City | None:
        return next((c for c in self._cities if Path(path).is_relative_to(c.path)), None)

    def stat(self, path: Path) -> MediaFile:
        if not Path(path).is_file():
            raise MediaError(path, "no such file")
        st = Path(path).stat()
        city = self.city_of(path)
        captioned = Path(path).with_name(Path(path).stem + ".scc").exists()
        return MediaFile(Path(path), st.st_size, st.st_mtime, city.name if city else "", captioned)

    def exists(self, path: Path) -> bool:
        return Path(path).exists()

    def read_text(self, path: Path) -> str:
        try:
            return Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise MediaError(path, "no such file") from None
        except UnicodeDecodeError:
            raise MediaError(path, "not a UTF-8 text file") from None

    def real_path(self, path: Path) -> Path:
        return Path(path).resolve()

    def fingerprint(self, path: Path) -> str:
        self.hashed.append(Path(path))
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    def size(self, path: Path) -> int:
        return Path(path).stat().st_size

    def write_sidecar(self, path: Path, content: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        self.written.append(path)
        return path

    def remove(self, path: Path) -> None:
        Path(path).unlink(missing_ok=True)


def _still_this_attempts(job: Job | None, attempt: int) -> bool:
    """Running this attempt, or re-queued without anyone claiming it since."""
    return job is not None and job.attempts == attempt and job.state in (JobState.RUNNING,
                                                                          JobState.QUEUED)


class MemoryCheckpoints:
    """The CheckpointStore port as a dict; `saves` counts every save."""

    def __init__(self) -> None:
        self.kept: dict[int, tuple[Segment, ...]] = {}
        self.saves = 0

    def load(self, recording_id: int) -> tuple[Sequence[Segment], dict[str, object]]:
        return self.kept.get(recording_id, ()), {"segments": len(self.kept.get(recording_id, ()))}

    def save(self, recording_id: int, segments: Sequence[Segment], context: object = None) -> None:
        self.kept[recording_id] = tuple(segments)
        self.saves += 1

    def drop(self, recording_id: int) -> None:
        self.kept.pop(recording_id, None)


class MemoryLiveness:
    """The Liveness port as a dict: (attempt, worker) per job; `down` makes it unknowable."""

    def __init__(self) -> None:
        self.beats: dict[int, tuple[int, str]] = {}
        self.down = False

    def beat(self, job_id: int, attempt: int, worker: str, ttl: float) -> None:
        if not self.down:
            self.beats[job_id] = (attempt, worker)

    def alive(self, job_id: int, attempt: int) -> bool:
        return not self.down and self.beats.get(job_id, (None, ""))[0] == attempt

    def forget(self, job_id: int) -> None:
        self.beats.pop(job_id, None)


class ListQueue:
    """The JobQueue port as a list of tickets; `depth` is what is still in it."""

    def __init__(self) -> None:
        self.tickets: list[tuple[int, int, float]] = []   # (job id, priority, delay)
        self.publications: list[tuple[int, int | None]] = []   # (recording id, show id)
        self.playable: list[int] = []   # recordings whose browser copy was asked for
        self.published_jobs: list[int] = []   # finished jobs sent on to be published
        self.down = False

    def enqueue(self, job_id: int, priority: int = 5, delay: float = 0.0) -> None:
        if self.down:
            from archivist.domain.errors import GatewayUnavailable

            raise GatewayUnavailable("queue", "broker unreachable")
        self.tickets.append((job_id, priority, delay))

    def depth(self) -> int:
        return len(self.tickets)

    def publish(self, recording_id: int, show_id: int | None = None) -> None:
        self.publications.append((recording_id, show_id))

    def make_playable(self, recording_id: int) -> None:
        if self.down:
            from archivist.domain.errors import GatewayUnavailable

            raise GatewayUnavailable("queue", "broker unreachable")
        self.playable.append(recording_id)

    def publish_job(self, job_id: int) -> None:
        if self.down:
            from archivist.domain.errors import GatewayUnavailable

            raise GatewayUnavailable("queue", "broker unreachable")
        self.published_jobs.append(job_id)

    def take(self) -> int:
        return self.tickets.pop(0)[0]


class FakeProbe:
    """A probe that reports what it is told (or raises it) and counts its checks."""

    def __init__(self, name: str, status: Status | Exception, detail: str = "") -> None:
        self.name = name
        self._status = status
        self._detail = detail or f"{name} is {status}"
        self.checks = 0

    def check(self) -> ProbeResult:
        self.checks += 1
        if isinstance(self._status, Exception):
            raise self._status
        return ProbeResult(self._status, self._detail)


def _id_of(job: Job) -> int:
    """A stored job's id (every job the fake keeps has one)."""
    return job.id or 0


if TYPE_CHECKING:
    # The type checker holds each fake to its port: a fake that drifts fails mypy, not a test.
    from archivist.domain.health import Probe
    from archivist.domain.ports import JobQueue, MediaLibrary, Repository, Transcriber

    _repository: Repository = InMemoryRepository()
    _transcriber: Transcriber = ScriptedTranscriber(spoken())
    _library: MediaLibrary = FolderLibrary()
    _queue: JobQueue = ListQueue()
    _probe: Probe = FakeProbe("redis", Status.OK)


class RecordedMetrics:
    """The Metrics port as a list of what was reported: (method, arguments...)."""

    def __init__(self) -> None:
        self.reported: list[tuple[object, ...]] = []

    def of(self, method: str) -> list[tuple[object, ...]]:
        return [r[1:] for r in self.reported if r[0] == method]

    def job_finished(self, city: str, outcome: str, seconds: float = 0.0,
                     audio_seconds: float = 0.0) -> None:
        self.reported.append(("job_finished", city, outcome, seconds, audio_seconds))

    def captions_written(self, city: str, fmt: str) -> None:
        self.reported.append(("captions_written", city, fmt))

    def gateway_probed(self, gateway: str, up: bool, seconds: float) -> None:
        self.reported.append(("gateway_probed", gateway, up))

    def gateway_retried(self, gateway: str) -> None:
        self.reported.append(("gateway_retried", gateway))

    def gateway_gave_up(self, gateway: str) -> None:
        self.reported.append(("gateway_gave_up", gateway))

    def circuit_changed(self, gateway: str, is_open: bool) -> None:
        self.reported.append(("circuit_changed", gateway, is_open))

    def mount_seen(self, city: str, up: bool) -> None:
        self.reported.append(("mount_seen", city, up))

    def publication_done(self, city: str, outcome: str) -> None:
        self.reported.append(("publication_done", city, outcome))

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        self.reported.append(("request_served", route, method, status))

    def live_word_sent(self, city: str, latency: float) -> None:
        self.reported.append(("live_word_sent", city, latency))

    def live_source(self, city: str, up: bool) -> None:
        self.reported.append(("live_source", city, up))

    def live_waiting(self, city: str, waiting: bool) -> None:
        self.reported.append(("live_waiting", city, waiting))

    def live_encoder(self, city: str, up: bool) -> None:
        self.reported.append(("live_encoder", city, up))


class Clock:
    """A clock that moves only when a test moves it (`clock.now += seconds`)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
