"""Real worker processes take jobs from real brokers: the unattended pipeline, and what it
survives (kill -9, a flushed Redis, a corrupt file, a cancel from another process)."""

from __future__ import annotations

import re
import time

import pytest

from archivist.domain.models import JobState
from tests.e2e.conftest import SAMPLE
from tests.e2e.stations import (
    REDIS,
    Station,
    events,
    finished_runs,
    job_finished,
    make_recording,
    postgres_database,
)

pytestmark = pytest.mark.slow


@pytest.fixture(params=["postgresql+redis", "embedded"])
def station(request, tmp_path):
    """A multi-machine station (PostgreSQL, Redis) or one machine (SQLite, folder queue)."""
    if request.param == "embedded":
        s = Station(tmp_path)
        yield s
        s.close()
        return
    with postgres_database() as url:
        s = Station(tmp_path, database_url=url, redis_url=REDIS)
        yield s
        s.close()


def test_worker_beat_captions_every_recording_dropped_on_a_city_mount(station):
    good = make_recording(SAMPLE, station.mount / "2026" / SAMPLE.name, seconds=12)
    corrupt = station.mount / "2001-1-Corrupt (20261101).mp4"
    corrupt.write_bytes(b"\x00\x01 not a video" * 100)
    worker = station.start_worker("--beat")
    jobs = {}
    deadline = time.monotonic() + 60
    while len(jobs) < 2 and time.monotonic() < deadline:   # the beat's scan queues both
        jobs = {j.path: j for j in station.repo.jobs()}
        time.sleep(0.3)
    assert set(jobs) == {good, corrupt}, station.log_text()
    done = station.finished(jobs[good].id)
    failed = station.finished(jobs[corrupt].id)
    assert worker.poll() is None, "the worker died"

    assert done.state is JobState.SUCCEEDED, done.error
    assert good.with_suffix(".scc").read_text().startswith("Scenarist_SCC V1.0")
    assert {p.suffix for p in good.parent.iterdir()} == {".mp4", ".scc", ".srt", ".vtt", ".txt", ".json"}
    assert "call the roll" in station.repo.transcript(done.recording_id).text.lower()
    assert failed.state is JobState.FAILED
    assert "not a media file" in failed.error and str(corrupt) in failed.error
    # Nothing the worker keeps lands where it was started, and scanning again queues nothing.
    assert sorted(p.name for p in station.root.iterdir() if not p.name.endswith(".log")) == \
        ["data", "mnt", "station.yml"]
    again = station.archivist("scan", "--json")
    assert '"queued": []' in again.stdout, again.stdout + again.stderr


def test_a_worker_killed_mid_job_is_finished_once_by_the_next(station):
    # About 100 s: killed at a tenth, 90 s are still to go; the next worker decodes it all.
    long = make_recording(SAMPLE, station.mount / "long.mp4", repeat=3)
    queued = station.archivist("scan", "--json")
    job_id = int(re.search(r'"job_id": (\d+)', queued.stdout).group(1))
    first = station.start_worker()
    station.wait_for(job_id, lambda j: j.state is JobState.RUNNING and j.progress > 0.1,
                     what="running")
    station.kill(first)                       # kill -9, children too: nothing is acknowledged
    assert station.repo.job(job_id).state is JobState.RUNNING   # as the dead worker left it

    station.start_worker("--beat")            # the schedule's reconcile recovers the job
    done = station.finished(job_id)
    assert done.state is JobState.SUCCEEDED, station.log_text()
    assert done.attempts == 2 and "stopped answering" in " ".join(done.notes)
    assert finished_runs(station.log_text(), job_id) == 1
    assert long.with_suffix(".scc").exists()


def test_jobs_queued_while_the_broker_lost_its_messages_are_done_once(station):
    paths = [make_recording(SAMPLE, station.mount / f"meeting-{n}.mp4", seconds=6 + n)
             for n in range(3)]
    scan = station.archivist("scan", "--json")
    assert scan.returncode == 0, scan.stderr
    ids = [j.id for j in station.repo.jobs()]
    assert len(ids) == 3
    lost_tickets(station)                     # Redis restarted empty / queue folder wiped
    assert station.container.job_queue().depth() == 0

    station.start_worker("--beat")
    for job_id in ids:
        job = station.finished(job_id)
        assert job.state is JobState.SUCCEEDED and job.attempts == 1, job
        assert finished_runs(station.log_text(), job_id) == 1
    assert all(p.with_suffix(".srt").exists() for p in paths)


def test_cancel_from_another_process_stops_a_running_job_within_seconds(station):
    long = make_recording(SAMPLE, station.mount / "long.mp4", repeat=6)
    queued = station.archivist("scan", "--json")
    job_id = int(re.search(r'"job_id": (\d+)', queued.stdout).group(1))
    worker = station.start_worker()
    station.wait_for(job_id, lambda j: j.state is JobState.RUNNING and j.progress > 0.1,
                     what="running")
    asked = time.monotonic()
    cancel = station.archivist("jobs", "cancel", str(job_id))
    assert cancel.returncode == 0 and "cancelled" in cancel.stdout, cancel.stderr
    station.wait_for(job_id, lambda j: j.state is JobState.CANCELLED, seconds=30)
    # The worker lets go of it within seconds, and leaves no sidecar behind.
    deadline = asked + 10
    while time.monotonic() < deadline and not job_finished(station.log_text(), job_id, "cancelled"):
        time.sleep(0.2)
    assert job_finished(station.log_text(), job_id, "cancelled"), station.log_text()
    assert not long.with_suffix(".scc").exists()
    assert worker.poll() is None

    retried = station.archivist("jobs", "retry", str(job_id))
    assert retried.returncode == 0, retried.stderr
    assert station.finished(job_id).state is JobState.SUCCEEDED


def lost_tickets(station: Station) -> None:
    """What a Redis restart without persistence (or a wiped queue folder) does to the queue."""
    if station.env["ARCHIVIST_REDIS_URL"]:
        import redis

        client = redis.Redis.from_url(station.env["ARCHIVIST_REDIS_URL"])
        for key in client.scan_iter(match=f"{station.queue}*"):
            client.delete(key)
        client.close()
    else:
        for message in (station.root / "data" / "queue" / "out").iterdir():
            message.unlink()


def test_a_database_that_hangs_mid_job_gets_the_job_retried_not_failed(tmp_path):
    from sqlalchemy.engine import make_url

    from tests.faults.proxy import FreezingProxy

    with postgres_database() as url:
        real = make_url(url)
        proxy = FreezingProxy((real.host or "127.0.0.1", real.port or 5432))
        through = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        station = Station(tmp_path, database_url=through, redis_url=REDIS,
                          database={"statement_timeout": 2, "connect_timeout": 2,
                                    "retry": {"attempts": 2, "backoff": 0.1, "max_backoff": 0.5,
                                              "deadline": 5.0}})
        try:
            long = make_recording(SAMPLE, station.mount / "long.mp4", repeat=4)
            queued = station.archivist("scan", "--json")
            job_id = int(re.search(r'"job_id": (\d+)', queued.stdout).group(1))
            station.start_worker("--beat")
            station.wait_for(job_id, lambda j: j.state is JobState.RUNNING and j.progress > 0.1,
                             what="running")
            proxy.freeze()                   # the database keeps its sockets and says nothing
            time.sleep(15)
            proxy.thaw()
            done = station.finished(job_id, seconds=300)
            assert done.state is JobState.SUCCEEDED, station.log_text()
            assert long.with_suffix(".scc").exists()
            assert finished_runs(station.log_text(), job_id) == 1
        finally:
            station.close()
            proxy.close()


def test_a_database_away_longer_than_stale_after_as_a_job_finishes_costs_nothing(tmp_path):
    """The worker stays alive beside the queue (Redis) while the database is away: the
    reconciler leaves its job alone, and the finished transcription is saved once it is back."""
    from sqlalchemy.engine import make_url

    from tests.faults.proxy import FreezingProxy

    with postgres_database() as url:
        real = make_url(url)
        proxy = FreezingProxy((real.host or "127.0.0.1", real.port or 5432))
        through = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        station = Station(tmp_path, database_url=through, redis_url=REDIS, database_patience=120,
                          database={"statement_timeout": 2, "connect_timeout": 2,
                                    "retry": {"attempts": 2, "backoff": 0.1, "max_backoff": 0.5,
                                              "deadline": 5.0}})
        try:
            recording = make_recording(SAMPLE, station.mount / "meeting.mp4", repeat=4)
            queued = station.archivist("scan", "--json")
            job_id = int(re.search(r'"job_id": (\d+)', queued.stdout).group(1))
            station.start_worker("--beat")
            station.wait_for(job_id, lambda j: j.state is JobState.RUNNING and j.progress > 0.5,
                             what="half done")
            proxy.freeze()
            # The transcription finishes while the database is away, and waits to be saved...
            waited = time.monotonic() + 180
            while "waiting for the database" not in station.log_text():
                assert time.monotonic() < waited, station.log_text()
                time.sleep(0.5)
            time.sleep(4 * station.config["worker"]["stale_after"])   # ...24 s: well past it
            proxy.thaw()
            done = station.finished(job_id, seconds=180)
            log = station.log_text()
            assert done.state is JobState.SUCCEEDED and done.attempts == 1, log
            assert recording.with_suffix(".scc").exists()
            started = [e for e in events(log) if e.get("event") == "job started"
                       and e.get("job_id") == job_id]
            assert len(started) == 1, log           # transcribed once
            assert finished_runs(log, job_id) == 1
            assert not [e for e in events(log) if e.get("event") == "job lost"], log
        finally:
            station.close()
            proxy.close()
