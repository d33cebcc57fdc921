"""The SQL repository and database probe, against real SQLite and real PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archivist.adapters.sql import DatabaseProbe, SqlRepository
from archivist.domain.errors import GatewayUnavailable, NotFound
from archivist.domain.health import Status
from archivist.domain.models import Job, JobState, Recording, Segment, Transcript, Word

REFUSED = "postgresql+psycopg2://postgres@127.0.0.1:1/x"   # nobody listens on port 1


def council(n: int = 1, city: str = "Northfield") -> Recording:
    return Recording(path=Path(f"/mnt/flex-3/{city}/council-{n}.mp4"),
                     content_hash=f"{n:064x}", size=1_500_000_000 + n, city=city)


def meeting_transcript() -> Transcript:
    # Segment text as the JSON transcript keeps it (stripped); words keep their leading space.
    return Transcript(
        segments=(
            Segment(0.0, 2.5, "Call to order.", (
                Word(0.0, 0.64, " Call", 0.98), Word(0.64, 0.9, " to", 0.99),
                Word(0.9, 2.5, " order.", 0.97))),
            Segment(3.125, 5.75, "Roll call, please.", (
                Word(3.125, 3.5, " Roll", 0.91), Word(3.5, 4.25, " call,", 0.95),
                Word(4.25, 5.75, " please.", 0.99)), avg_logprob=-0.25),
        ),
        duration=3600.0, language="en", model="tiny.en", notes=("quiet audio",))


# Recordings

def test_recording_is_found_by_its_hash(repository: SqlRepository) -> None:
    stored = repository.add_recording(council(1))

    found = repository.recording_by_hash(council(1).content_hash)

    assert found is not None and found.id == stored.id
    assert found.path == Path("/mnt/flex-3/Northfield/council-1.mp4")
    assert (found.size, found.city) == (1_500_000_001, "Northfield")
    assert repository.recording(stored.id) == found
    assert repository.recording_by_hash("f" * 64) is None


def test_the_same_content_is_stored_once(repository: SqlRepository) -> None:
    first = repository.add_recording(council(1))
    moved = Recording(path=Path("/mnt/flex-1/elsewhere.mp4"), content_hash=first.content_hash,
                      size=first.size)

    again = repository.add_recording(moved)

    assert again.id == first.id and again.path == first.path


def test_timestamps_are_utc(repository: SqlRepository) -> None:
    before = datetime.now(UTC)
    stored = repository.add_recording(council(1))

    found = repository.recording(stored.id)

    assert found is not None and found.created_at is not None
    assert found.created_at.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= found.created_at <= datetime.now(UTC)


# Transcripts

def test_transcript_round_trip_equals_the_original(repository: SqlRepository) -> None:
    recording = repository.add_recording(council(1))
    job = repository.queue_job(Job(recording_id=recording.id))[0]
    original = meeting_transcript()

    repository.save_transcript(recording.id, job.id, original)
    found = repository.transcript(recording.id)

    assert found == original
    assert [(w.word, w.start, w.end) for w in found.words] == \
        [(w.word, w.start, w.end) for w in original.words]
    assert repository.transcript(999_999) is None


def test_a_rerun_replaces_the_transcript(repository: SqlRepository) -> None:
    recording = repository.add_recording(council(1))
    first = repository.queue_job(Job(recording_id=recording.id))[0]
    repository.save_transcript(recording.id, first.id, meeting_transcript())
    repository.transition(first.id, [JobState.QUEUED], JobState.FAILED)
    rerun = repository.queue_job(Job(recording_id=recording.id))[0]
    corrected = Transcript(segments=(Segment(0.0, 1.0, "Adjourned.",
                                             (Word(0.0, 1.0, " Adjourned."),)),),
                           duration=3600.0, model="small.en")

    repository.save_transcript(recording.id, rerun.id, corrected)

    assert repository.transcript(recording.id) == corrected


def test_transcript_for_an_unknown_recording_is_not_found(repository: SqlRepository) -> None:
    with pytest.raises(NotFound):
        repository.save_transcript(999_999, 999_999, meeting_transcript())


# Schema and import discipline

def test_concurrent_first_saves_of_a_transcript_both_succeed(repository: SqlRepository) -> None:
    recording = repository.add_recording(council(1))
    job = repository.queue_job(Job(recording_id=recording.id))[0]
    barrier = threading.Barrier(2)

    def save(_: int) -> None:
        barrier.wait()
        repository.save_transcript(recording.id, job.id, meeting_transcript())
    for _ in range(10):
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(save, range(2)))   # raises if either save failed
    assert repository.transcript(recording.id) == meeting_transcript()


def test_tables_are_created_once_under_concurrent_first_use(empty_engine, quick_retry) -> None:
    repository = SqlRepository(engine=empty_engine, retry=quick_retry)

    with ThreadPoolExecutor(max_workers=8) as pool:
        stored = list(pool.map(lambda n: repository.add_recording(council(n)), range(1, 9)))

    assert len({r.id for r in stored}) == 8


def test_importing_the_adapter_does_not_import_sqlalchemy() -> None:
    code = ("import sys, archivist.adapters.sql; "
            "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# A database out of reach

def test_repository_reports_the_database_unavailable(make_engine, quick_retry) -> None:
    engine = make_engine(REFUSED.replace("@", ":s3cret@"))
    repository = SqlRepository(engine=engine, retry=quick_retry)  # connects to nothing yet

    with pytest.raises(GatewayUnavailable) as raised:
        repository.recording_by_hash("0" * 64)

    assert raised.value.gateway == "database"
    assert raised.value.reason == "connection refused"
    assert "s3cret" not in str(raised.value)


# Probe

def test_probe_ok_says_which_database(engine) -> None:
    result = DatabaseProbe(engine).check()

    assert result.status is Status.OK
    expected = "sqlite " if engine.dialect.name == "sqlite" else "postgresql 127.0.0.1:5432/"
    assert result.detail.startswith(expected)


def test_probe_never_shows_the_password(make_engine, postgres_url) -> None:
    # Trust authentication ignores the password, so the first probe gets through.
    for url in (postgres_url, REFUSED):
        result = DatabaseProbe(make_engine(url.replace("@", ":s3cret@", 1))).check()
        assert "s3cret" not in result.detail and result.detail


def test_probe_down_quickly_when_the_port_is_closed(make_engine, connect_timeout) -> None:
    probe = DatabaseProbe(make_engine(REFUSED))

    started = time.monotonic()
    result = probe.check()

    assert time.monotonic() - started < connect_timeout + 2
    # Which database is down, as the ok line says which is up (never the password).
    assert result.status is Status.DOWN
    assert result.detail == "postgresql 127.0.0.1:1/x: connection refused"


def test_probe_down_quickly_when_the_server_never_answers(make_engine, connect_timeout,
                                                         silent_server) -> None:
    silent = f"postgresql+psycopg2://postgres@127.0.0.1:{silent_server}/x"
    probe = DatabaseProbe(make_engine(silent))

    started = time.monotonic()
    result = probe.check()

    assert time.monotonic() - started < connect_timeout + 2
    assert result.status is Status.DOWN
    assert result.detail.startswith(f"postgresql 127.0.0.1:{silent_server}/x: timeout after")
