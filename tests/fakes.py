"""Hand-written fakes of the domain's ports, for unit tests of the services."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from archivist.domain.errors import MediaError
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import Job, JobState, Recording, Segment, Transcript, Word


class InMemoryRepository:
    """The Repository port in a few dicts."""

    def __init__(self) -> None:
        self.recordings: dict[int, Recording] = {}
        self._jobs: dict[int, Job] = {}
        self.transcripts: dict[int, Transcript] = {}

    def add_recording(self, recording: Recording) -> Recording:
        recording = dataclasses.replace(recording, id=len(self.recordings) + 1)
        self.recordings[recording.id] = recording
        return recording

    def recording(self, recording_id: int) -> Recording | None:
        return self.recordings.get(recording_id)

    def recording_by_hash(self, content_hash: str) -> Recording | None:
        return next((r for r in self.recordings.values() if r.content_hash == content_hash), None)

    def add_job(self, job: Job) -> Job:
        job = dataclasses.replace(job, id=len(self._jobs) + 1)
        self._jobs[job.id] = job
        return dataclasses.replace(job)

    def job(self, job_id: int) -> Job | None:
        job = self._jobs.get(job_id)
        return dataclasses.replace(job) if job else None

    def save_job(self, job: Job) -> None:
        self._jobs[job.id] = dataclasses.replace(job)

    def jobs(self, state: JobState | None = None, limit: int = 50) -> list[Job]:
        newest_first = sorted(self._jobs.values(), key=lambda j: j.id, reverse=True)
        return [dataclasses.replace(j) for j in newest_first if state in (None, j.state)][:limit]

    def latest_job(self, recording_id: int) -> Job | None:
        mine = [j for j in self._jobs.values() if j.recording_id == recording_id]
        return dataclasses.replace(mine[-1]) if mine else None

    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None:
        self.transcripts[recording_id] = transcript

    def transcript(self, recording_id: int) -> Transcript | None:
        return self.transcripts.get(recording_id)


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

    def transcribe(self, media, on_progress, cancelled):
        self.calls.append(Path(media))
        if "corrupt" in Path(media).name:
            raise MediaError(media, "not a media file (no known audio/video format)")
        for i in range(1, 5):
            on_progress(i / 4, self.transcript.duration * i / 4)
        return self.transcript


class FolderLibrary:
    """The MediaLibrary port over a temporary folder, without retries."""

    def __init__(self) -> None:
        self.written: list[Path] = []

    def fingerprint(self, path: Path) -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    def size(self, path: Path) -> int:
        return Path(path).stat().st_size

    def write_sidecar(self, path: Path, content: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        self.written.append(path)
        return path

    def cities(self):
        return []


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
