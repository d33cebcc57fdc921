"""A real worker's metrics port: a sysadmin's Prometheus sees jobs finish, audio transcribed
and caption files written, counted across the worker's processes (prefork children and the
`--beat` housekeeping worker), with bounded labels only."""

from __future__ import annotations

import socket
import time
import urllib.request

import pytest

from archivist.domain.models import JobState
from tests.e2e.conftest import SAMPLE
from tests.e2e.stations import Station, make_recording
from tests.labels import assert_bounded_labels, parse
from tests.labels import value as sample
from tests.servers import unused_port

pytestmark = pytest.mark.slow
FORMATS = ("scc", "srt", "vtt", "txt", "json")


def scrape(port: int, seconds: float = 60) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample at http://127.0.0.1:<port>/metrics, by name and labels (waits for the port)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
                text = answer.read().decode()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    return parse(text)


def value(samples, name: str, **labels: str) -> float:
    return sample(samples, name, **labels) or 0.0


def test_a_job_run_by_a_real_worker_moves_the_workers_metrics(tmp_path):
    station = Station(tmp_path)
    try:
        recording = make_recording(SAMPLE, station.mount / "council.mp4", seconds=10)
        # Its schedule's scan queues the recording.
        worker, port = station.start_worker_serving_metrics("--beat")
        before = scrape(port)
        assert value(before, "archivist_jobs_finished_total", city="Riverton",
                     outcome="succeeded") == 0
        deadline = time.monotonic() + 60
        while not station.repo.jobs() and time.monotonic() < deadline:
            time.sleep(0.3)
        [job] = station.repo.jobs()
        done = station.finished(job.id)
        assert done.state is JobState.SUCCEEDED, station.log_text()
        assert recording.with_suffix(".scc").exists()

        # The worker counts a job once its result is committed, so the database can say
        # "succeeded" a moment before /metrics does (seen in CI): wait for it, bounded.
        deadline = time.monotonic() + 10
        while True:
            after = scrape(port)
            counted = value(after, "archivist_jobs_finished_total", city="Riverton",
                            outcome="succeeded")
            written = all(value(after, "archivist_captions_written_total", city="Riverton",
                                format=fmt) for fmt in FORMATS)   # counted just after
            if (counted and written) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert counted == 1, station.log_text()
        assert 9 <= value(after, "archivist_audio_seconds_total", city="Riverton") <= 11
        for fmt in FORMATS:
            assert value(after, "archivist_captions_written_total", city="Riverton",
                         format=fmt) == 1, fmt
        assert value(after, "archivist_job_duration_seconds_count", city="Riverton") == 1
        assert value(after, "archivist_job_realtime_factor_count", city="Riverton") == 1
        # The scan ran in the housekeeping worker; it is counted on the same port.
        assert value(after, "archivist_mount_up", city="Riverton") == 1
        # The worker timed its own start, from its interpreter's start.
        phases = {phase: value(after, "archivist_startup_seconds", process="worker", phase=phase)
                  for phase in ("import", "container", "ready")}
        assert 0 < phases["import"] <= phases["container"] <= phases["ready"] < 120, phases
        assert value(after, "archivist_build_info", version="0.1.0") == 1
        assert_bounded_labels(after, secrets=[], places=[str(tmp_path)])
        assert worker.poll() is None
    finally:
        station.close()


def test_a_metrics_port_taken_before_the_worker_binds_it_is_given_up_for_another(tmp_path):
    """A port free when the test picked it can be taken before the worker binds it (another
    test's worker): the worker then serves no metrics and a scrape reads the other process's.
    The station starts the worker again on another port, and says which."""
    station = Station(tmp_path)
    taken = socket.create_server(("127.0.0.1", 0))
    try:
        worker, port = station.start_worker_serving_metrics(
            ports=[taken.getsockname()[1], unused_port()])
        assert port != taken.getsockname()[1]
        assert station.workers[0].poll() is not None and worker is station.workers[1]
        assert value(scrape(port), "archivist_build_info", version="0.1.0") == 1
    finally:
        taken.close()
        station.close()
