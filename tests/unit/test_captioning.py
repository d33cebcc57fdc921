"""The main job's rules, with fakes standing in for the database, storage and model."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.models import JobState
from archivist.domain.captioning import Captioning, sidecar_path
from tests.fakes import FolderLibrary, InMemoryRepository, ScriptedTranscriber, spoken

FORMATS = ["scc", "srt", "vtt", "txt", "json"]


@pytest.fixture
def repo() -> InMemoryRepository:
    return InMemoryRepository()


@pytest.fixture
def transcriber() -> ScriptedTranscriber:
    return ScriptedTranscriber(spoken((1.0, "Good evening everyone."), (4.0, "Please call the roll.")))


@pytest.fixture
def captioning(repo, transcriber) -> Captioning:
    return Captioning(repo, transcriber, FolderLibrary(), CaptionSettings())


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    path = tmp_path / "1001-1-Council (20261103).mp4"
    path.write_bytes(b"pretend video")
    return path


def test_captions_are_written_beside_the_recording(captioning, recording, repo):
    outcome = captioning.caption_file(recording, FORMATS)
    assert outcome.status == "done"
    assert sorted(p.name for p in outcome.outputs) == sorted(
        f"1001-1-Council (20261103){ext}" for ext in (".scc", ".srt", ".vtt", ".txt", ".json"))
    assert "Good evening" in sidecar_path(recording, "srt").read_text()
    job = repo.job(outcome.job.id)
    assert job.state is JobState.SUCCEEDED and job.progress == 1.0 and job.finished_at
    assert repo.transcript(job.recording_id).text.startswith("Good evening")


def test_out_dir_takes_the_files_instead(captioning, recording, tmp_path):
    out = tmp_path / "captions"
    outcome = captioning.caption_file(recording, ["vtt"], out_dir=out)
    assert [p.parent for p in outcome.outputs] == [out]
    assert not sidecar_path(recording, "vtt").exists()


def test_same_content_is_not_transcribed_twice(captioning, recording, transcriber, tmp_path):
    captioning.caption_file(recording, FORMATS)
    copy = tmp_path / "copy" / recording.name
    copy.parent.mkdir()
    copy.write_bytes(recording.read_bytes())
    outcome = captioning.caption_file(copy, FORMATS)
    assert outcome.status == "skipped"
    assert len(transcriber.calls) == 1
    # The copy still gets its sidecars, from the stored transcript.
    assert sidecar_path(copy, "scc").read_text().startswith("Scenarist_SCC V1.0")


def test_force_transcribes_again(captioning, recording, transcriber):
    captioning.caption_file(recording, FORMATS)
    outcome = captioning.caption_file(recording, FORMATS, force=True)
    assert outcome.status == "done" and len(transcriber.calls) == 2


def test_corrupt_file_fails_its_own_job_with_a_message(captioning, tmp_path, repo):
    bad = tmp_path / "corrupt.mp4"
    bad.write_bytes(b"garbage")
    outcome = captioning.caption_file(bad, FORMATS)
    assert outcome.status == "failed"
    assert "not a media file" in outcome.error and str(bad) in outcome.error
    assert repo.job(outcome.job.id).state is JobState.FAILED
    assert not list(tmp_path.glob("corrupt.s*"))


def test_missing_file_is_reported_not_raised(captioning, tmp_path):
    outcome = captioning.caption_file(tmp_path / "nope.mp4", FORMATS)
    assert outcome.status == "failed" and "no such file" in outcome.error


def test_progress_reaches_the_caller_with_an_eta(captioning, recording):
    seen = []
    captioning.caption_file(recording, ["srt"], on_progress=lambda f, eta: seen.append((f, eta)))
    assert seen[-1][0] == 1.0
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_cancelled_job_is_recorded(captioning, recording, repo, transcriber):
    from archivist.domain.errors import Cancelled

    def cancel(*_):
        raise Cancelled("stop")
    transcriber.transcribe = lambda media, on_progress, cancelled: cancel()
    outcome = captioning.caption_file(recording, FORMATS)
    assert repo.job(outcome.job.id).state is JobState.CANCELLED


def test_a_bug_fails_the_job_instead_of_leaving_it_running(captioning, recording, repo, transcriber):
    def broken(media, on_progress, cancelled):
        raise ZeroDivisionError("division by zero")
    transcriber.transcribe = broken
    outcome = captioning.caption_file(recording, FORMATS)
    job = repo.job(outcome.job.id)
    assert job.state is JobState.FAILED
    assert "internal error: ZeroDivisionError" in job.error
