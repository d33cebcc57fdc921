"""A real Celery worker takes queued jobs over Redis and records them in PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from archivist import containers
from archivist.domain.models import Job, JobState, Recording
from archivist.providers import settings
from tests.e2e.conftest import SAMPLE

pytestmark = pytest.mark.slow
POSTGRES = os.environ.get("ARCHIVIST_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("ARCHIVIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def database():
    """A PostgreSQL database of this test's own, dropped afterwards."""
    import psycopg2

    name = f"archivist_e2e_{uuid.uuid4().hex[:8]}"
    dsn = POSTGRES.replace("postgresql+psycopg2://", "postgresql://")
    admin = psycopg2.connect(dsn, connect_timeout=5)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES.rsplit("/", 1)[0] + "/" + name
    admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["postgresql+redis", "embedded"])
def station(request, tmp_path):
    """A multi-machine station (PostgreSQL, Redis) or one machine (SQLite, folder queue)."""
    overlay = tmp_path / "station.yml"
    overlay.write_text(f"worker:\n  queue: e2e-{uuid.uuid4().hex[:8]}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVIST_")}
    env.update(ARCHIVIST_DATA_DIR=str(tmp_path / "data"), ARCHIVIST_CONFIG=str(overlay))
    if request.param == "postgresql+redis":
        env.update(ARCHIVIST_DATABASE_URL=request.getfixturevalue("database"),
                   ARCHIVIST_REDIS_URL=REDIS)
    container = containers.build(settings.load(environ=env))
    yield env, container
    containers.shutdown(container)


def queue_job(container, path) -> int:
    library, repo = container.library(), container.repository()
    recording = repo.add_recording(Recording(path=path, content_hash=library.fingerprint(path),
                                             size=library.size(path), city="Riverton"))
    job = repo.add_job(Job(recording_id=recording.id))
    container.job_queue().enqueue(job.id)
    return job.id


def wait_for(repo, job_id: int, seconds: float = 120) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = repo.job(job_id)
        if job.state.finished:
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} still {repo.job(job_id).state} after {seconds}s")


def test_worker_captions_queued_jobs_and_survives_a_corrupt_file(station, tmp_path):
    env, container = station
    corrupt = tmp_path / "2001-1-Corrupt (20261101).mp4"
    corrupt.write_bytes(b"\x00\x01 not a video" * 100)
    recording = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, recording)
    # Jobs are queued before any worker runs: the broker keeps them.
    bad_job = queue_job(container, corrupt)
    good_job = queue_job(container, recording)

    workdir = tmp_path / "cwd"  # where the operator happened to start the worker
    workdir.mkdir()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "archivist.entrypoints.worker", "worker",
         "--pool=prefork", "--concurrency=1", "--loglevel=INFO", "--without-heartbeat",
         "--without-gossip", "--without-mingle"],
        env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    repo = container.repository()
    try:
        failed = wait_for(repo, bad_job)
        done = wait_for(repo, good_job)
        alive = worker.poll() is None
    finally:
        worker.terminate()
        log = worker.communicate(timeout=60)[0]
        print(log)  # shown by pytest when the test fails
    assert alive, "the worker died"
    assert list(workdir.iterdir()) == []   # everything it keeps lives in the data dir

    assert failed.state is JobState.FAILED, log
    assert "not a media file" in failed.error and str(corrupt) in failed.error
    assert done.state is JobState.SUCCEEDED, log
    assert recording.with_suffix(".scc").read_text().startswith("Scenarist_SCC V1.0")
    assert "quorum" in repo.transcript(done.recording_id).text.lower()
