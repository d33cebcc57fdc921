"""What the services report through the Metrics port, and the Prometheus adapter's rules:
bounded labels, a backlog read that never hangs a scrape, start-up timing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archivist.adapters.prometheus.metrics import PrometheusMetrics
from archivist.adapters.prometheus.scrape import Scrape
from archivist.domain.backlog import backlog
from archivist.domain.captioning import Captioning
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.health import ProbeResult, Status, run_probes
from archivist.domain.jobs.rules import Jobs
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import Job, Recording
from archivist.domain.policy import Circuit
from archivist.providers import policies, startup
from tests.fakes import FakeProbe, InMemoryRepository, RecordedMetrics
from tests.labels import assert_bounded_labels, parse, value
from tests.unit.test_jobs import FORMATS, Station

CITIES = [{"name": "Riverton", "path": "/mnt/flex-3"}]


def test_no_metrics_and_the_prometheus_adapter_are_both_the_port():
    """Every method the port names, with the port's parameters, on every implementation."""
    import inspect

    wanted = {name: list(inspect.signature(member).parameters)
              for name, member in vars(Metrics).items()
              if inspect.isfunction(member) and not name.startswith("_")}
    assert len(wanted) >= 10   # the port is read, not an empty Protocol
    ports: list[Metrics] = [NoMetrics(), PrometheusMetrics(CITIES), RecordedMetrics()]
    for port in ports:
        found = {name: list(inspect.signature(getattr(type(port), name, None) or (lambda: 0))
                            .parameters) for name in wanted}
        assert found == wanted, type(port).__name__


def test_a_job_run_reports_its_outcome_audio_and_each_caption_file(tmp_path: Path):
    station = Station(tmp_path)
    metrics = RecordedMetrics()
    jobs = Jobs(station.repo, station.queue, station.library,
                Captioning(station.transcriber, station.library, CaptionSettings()),
                station.policy, "host:1", clock=lambda: station.now, metrics=metrics)
    jobs.submit(station.recording(), city="Riverton")
    jobs.take(station.queue.take(), FORMATS)
    [(city, outcome, seconds, audio)] = metrics.of("job_finished")
    assert (city, outcome) == ("Riverton", "succeeded")
    assert seconds > 0 and audio == station.transcriber.transcript.duration
    assert sorted(metrics.of("captions_written")) == sorted(("Riverton", f) for f in FORMATS)

    jobs.submit(station.recording("corrupt.mp4", b"junk"), city="Riverton")
    jobs.take(station.queue.take(), FORMATS)
    assert metrics.of("job_finished")[-1][:2] == ("Riverton", "failed")
    assert len(metrics.of("captions_written")) == len(FORMATS)   # nothing written for it


def test_a_circuit_reports_opening_and_closing():
    metrics = RecordedMetrics()
    circuit = Circuit(threshold=2, cooldown=10, name="cablecast", metrics=metrics)
    circuit.failed("boom")
    assert metrics.of("circuit_changed") == []
    circuit.failed("boom")
    circuit.succeeded()
    assert metrics.of("circuit_changed") == [("cablecast", True), ("cablecast", False)]


def test_probes_report_each_gateway_up_or_down_even_past_the_deadline():
    metrics = RecordedMetrics()
    class Hung:
        name = "redis"

        def check(self) -> ProbeResult:
            time.sleep(5)
            return ProbeResult(Status.OK)
    run_probes([FakeProbe("database", Status.DEGRADED), Hung()], deadline=0.2, metrics=metrics)
    assert metrics.of("gateway_probed") == [("database", True), ("redis", False)]


def test_a_retry_policy_counts_retries_and_the_give_up():
    metrics = RecordedMetrics()
    retry = policies.policy("redis", {"attempts": 3, "backoff": 0, "max_backoff": 0},
                            metrics=metrics)

    def down() -> None:
        raise ConnectionError("refused")
    with pytest.raises(ConnectionError):
        retry(down)
    assert metrics.of("gateway_retried") == [("redis",), ("redis",)]
    assert metrics.of("gateway_gave_up") == [("redis",)]

    def wrong() -> None:
        raise ValueError("not transient: never retried, never a give-up")
    with pytest.raises(ValueError):
        retry(wrong)
    assert len(metrics.of("gateway_gave_up")) == 1


def test_the_backlog_counts_every_configured_city_and_state_and_the_oldest_wait():
    repo = InMemoryRepository()
    now = datetime(2026, 11, 3, 19, 0, tzinfo=UTC)
    repo.clock = lambda: now - timedelta(hours=2)
    rec = repo.add_recording(Recording(Path("/mnt/flex-3/a.mp4"), "a" * 64, 1, city="Riverton"))
    repo.queue_job(Job(recording_id=rec.id, path=rec.path, city="Riverton"))
    found = backlog(repo, [*CITIES, {"name": "Lakeside", "path": "/mnt/flex-4"}], clock=lambda: now)
    assert found.jobs[("queued", "Riverton")] == 1
    assert found.jobs[("failed", "Lakeside")] == 0
    assert found.oldest_waiting == {"Riverton": 7200.0, "Lakeside": 0.0}


def test_labels_stay_bounded_whatever_a_caller_passes():
    metrics = PrometheusMetrics(CITIES)
    metrics.job_finished("/mnt/flex-3/secret-place", "succeeded", 10, 20)
    metrics.job_finished("Riverton", "succeeded", 10, 20)
    metrics.request_served("/api/v1/jobs/<int:job_id>", "BREW", 418, 0.1)
    samples = parse(Scrape(metrics, startup.figures, "0.1.0").render()[0].decode())
    assert value(samples, "archivist_jobs_finished_total", city="other", outcome="succeeded") == 1
    assert value(samples, "archivist_jobs_finished_total", city="Riverton", outcome="succeeded") == 1
    assert value(samples, "archivist_job_realtime_factor_sum", city="Riverton") == 0.5
    assert value(samples, "archivist_http_request_duration_seconds_count",
                 route="/api/v1/jobs/<int:job_id>", method="OTHER", status="418") == 1
    assert_bounded_labels(samples, places=["/mnt"])


def test_cities_no_longer_configured_are_one_series_not_a_duplicate():
    repo = InMemoryRepository()
    for n, city in enumerate(["Riverton", "Oldtown", "Gone"]):
        rec = repo.add_recording(Recording(Path(f"/mnt/{n}.mp4"), f"{n:064x}", 1, city=city))
        repo.queue_job(Job(recording_id=rec.id, path=rec.path, city=city))
    metrics = PrometheusMetrics(CITIES)
    text = Scrape(metrics, startup.figures, "0.1.0", backlog=lambda: backlog(repo, CITIES),
                  timeout=2).render()[0].decode()
    samples = parse(text)   # the parser accepts duplicate series; Prometheus would not
    assert text.count('archivist_jobs{city="other",state="queued"}') == 1
    assert value(samples, "archivist_jobs", state="queued", city="other") == 2
    assert value(samples, "archivist_jobs", state="queued", city="Riverton") == 1
    assert text.count('archivist_city_oldest_waiting_seconds{city="other"}') == 1


def test_start_up_phases_are_timed_from_the_interpreter_start_in_order():
    startup.mark("cli", "import")
    startup.mark("cli", "container")
    timing = startup.figures()
    assert timing.since == "interpreter start"
    cli = timing.processes["cli"]
    assert 0 < cli["import"] <= cli["container"]
    startup.mark("cli", "import")   # timed once: a later mark changes nothing
    assert startup.figures().processes["cli"]["import"] == cli["import"]


def test_every_configured_citys_counters_start_at_zero_so_the_first_failures_count():
    """increase() cannot see a series' first value: failures before the first scrape after a
    restart must raise a series that already stood at 0, or the failure alert stays quiet."""
    from archivist.adapters.prometheus.metrics import PrometheusMetrics

    metrics = PrometheusMetrics(cities=[{"name": "Riverton", "path": "/mnt/flex-3"}])
    get = metrics.registry.get_sample_value
    assert get("archivist_jobs_finished_total", {"city": "Riverton", "outcome": "failed"}) == 0
    assert get("archivist_publications_total", {"city": "Riverton", "outcome": "failed"}) == 0
    assert get("archivist_captions_written_total", {"city": "Riverton", "format": "scc"}) == 0
    assert get("archivist_audio_seconds_total", {"city": "Riverton"}) == 0
