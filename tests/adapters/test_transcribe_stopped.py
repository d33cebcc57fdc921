"""`transcribe` stopped just as its job is stored, against real SQLite and PostgreSQL: the job
is never left queued without a ticket (the transaction that makes it makes it this run's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.domain.captioning import Captioning
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.jobs.rules import JobPolicy, Jobs
from archivist.domain.jobs.stops import RunStopped
from archivist.domain.models import JobState
from tests.fakes import FolderLibrary, ListQueue, ScriptedTranscriber, spoken


def test_a_stop_right_after_the_jobs_commit_leaves_it_cancelled_not_queued(
        repository: SqlRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library, queue = FolderLibrary(), ListQueue()
    captioning = Captioning(ScriptedTranscriber(spoken((1.0, "Call to order."))), library,
                            CaptionSettings())
    jobs = Jobs(repository, queue, library, captioning, JobPolicy(), "host:1")
    path = tmp_path / "meeting.mp4"
    path.write_bytes(b"video")
    queue_job = SqlRepository.queue_job

    def committed_then_stopped(repo: SqlRepository, *args: object, **kwargs: object) -> object:
        queue_job(repo, *args, **kwargs)   # type: ignore[arg-type]
        raise KeyboardInterrupt("SIGTERM")

    monkeypatch.setattr(SqlRepository, "queue_job", committed_then_stopped)
    with pytest.raises(RunStopped) as ended:
        jobs.caption_here(path, ["srt"])
    monkeypatch.undo()

    (job,) = repository.jobs()
    assert (job.state, job.error) == (JobState.CANCELLED, "interrupted (SIGTERM)")
    assert ended.value.job_now == "its job is marked cancelled" and not queue.tickets
