"""The Metrics port on prometheus-client: the station's words turned into series.

Label values are kept bounded here, whatever a caller passes: a city not configured counts
as "other", an unknown HTTP method as "OTHER". Every series is named in the metric catalogue
(README, Monitoring); the alert rules and the dashboard rely on these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from archivist.domain.captions import FORMATS
from archivist.domain.metrics import OUTCOMES
from archivist.domain.models import PublicationState

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
JOB_SECONDS = (10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800)
REALTIME_FACTOR = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0)
CAPTION_LATENCY = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 15.0)
REQUEST_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def city_names(cities: Any) -> tuple[str, ...]:
    """The names of the configured cities (`library.cities` entries), in order."""
    return tuple(str(c["name"]) for c in cities or () if isinstance(c, Mapping) and c.get("name"))


class PrometheusMetrics:
    """Counters, gauges and histograms of one process, in `registry` (a fresh one by default,
    so that several containers in one process, as in tests, do not clash)."""

    def __init__(self, cities: Any = (), registry: CollectorRegistry | None = None) -> None:
        """`cities`: `library.cities` as configured (the label values a city may take)."""
        disable_created_metrics()   # *_created series: noise for a station's alerts and dashboards
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        self._cities = frozenset(city_names(cities))
        r = self.registry
        self._finished = Counter("archivist_jobs_finished_total", "Job runs that ended, by outcome.",
                                 ["city", "outcome"], registry=r)
        self._duration = Histogram("archivist_job_duration_seconds",
                                   "Wall time of a job run that succeeded.", ["city"],
                                   buckets=JOB_SECONDS, registry=r)
        self._rtf = Histogram("archivist_job_realtime_factor",
                              "Processing seconds per second of audio, of a job run that succeeded.",
                              ["city"], buckets=REALTIME_FACTOR, registry=r)
        self._audio = Counter("archivist_audio_seconds_total", "Seconds of audio transcribed.",
                              ["city"], registry=r)
        self._captions = Counter("archivist_captions_written_total", "Caption files written.",
                                 ["city", "format"], registry=r)
        self._up = Gauge("archivist_gateway_up",
                         "1 when the last probe said ok or degraded, 0 when down.", ["gateway"],
                         registry=r, multiprocess_mode="mostrecent")
        self._probe = Gauge("archivist_gateway_probe_seconds", "How long the last probe took.",
                            ["gateway"], registry=r, multiprocess_mode="mostrecent")
        self._retries = Counter("archivist_gateway_retries_total",
                                "Calls to a gateway tried again after a transient failure.",
                                ["gateway"], registry=r)
        self._giveups = Counter("archivist_gateway_giveups_total",
                                "Calls to a gateway that failed after all retries or the deadline.",
                                ["gateway"], registry=r)
        self._circuit = Gauge("archivist_circuit_open", "1 while a circuit breaker is open.",
                              ["gateway"], registry=r, multiprocess_mode="mostrecent")
        self._mount = Gauge("archivist_mount_up",
                            "1 when the city's mount was listed on the last scan or probe.",
                            ["city"], registry=r, multiprocess_mode="mostrecent")
        self._publications = Counter("archivist_publications_total",
                                     "Cablecast publish attempts, by outcome.", ["city", "outcome"],
                                     registry=r)
        self._requests = Histogram("archivist_http_request_duration_seconds",
                                   "Web request latency, by URL rule.",
                                   ["route", "method", "status"], buckets=REQUEST_SECONDS,
                                   registry=r)
        self._live_latency = Histogram(
            "archivist_live_caption_latency_seconds",
            "Seconds from a word's sound arriving to its live caption leaving for the encoder.",
            ["city"], buckets=CAPTION_LATENCY, registry=r)
        self._live_words = Counter("archivist_live_words_sent_total",
                                   "Live caption words sent to the encoder.", ["city"], registry=r)
        self._live_source = Gauge("archivist_live_source_up",
                                  "1 while a live session's source sends sound, 0 while it is quiet.",
                                  ["city"], registry=r, multiprocess_mode="mostrecent")
        self._live_waiting = Gauge("archivist_live_source_waiting",
                                   "1 while a live session waits for its stream's first sound.",
                                   ["city"], registry=r, multiprocess_mode="mostrecent")
        self._live_encoder = Gauge("archivist_live_encoder_up",
                                   "1 while a live session's caption encoder is connected.",
                                   ["city"], registry=r, multiprocess_mode="mostrecent")

        self._start_at_zero()

    def _start_at_zero(self) -> None:
        """Every configured city's counters exist at 0 from the start. Prometheus' increase()
        cannot see a series' first value as an increase: a counter born at 3 (three jobs
        failed before the first scrape after a restart) would never fire a failure alert."""
        for city in self._cities:
            for outcome in OUTCOMES:
                self._finished.labels(city, outcome)
            for state in PublicationState:
                self._publications.labels(city, str(state))
            for fmt in FORMATS:
                self._captions.labels(city, fmt)
            self._audio.labels(city)

    def city(self, name: str) -> str:
        """A city as a label value: a configured name, "" for none, "other" for the rest."""
        return name if not name or name in self._cities else "other"

    def job_finished(self, city: str, outcome: str, seconds: float = 0.0,
                     audio_seconds: float = 0.0) -> None:
        city = self.city(city)
        self._finished.labels(city, outcome).inc()
        if outcome == "succeeded" and seconds > 0:
            self._duration.labels(city).observe(seconds)
            if audio_seconds > 0:
                self._rtf.labels(city).observe(seconds / audio_seconds)
        if audio_seconds > 0:
            self._audio.labels(city).inc(audio_seconds)

    def captions_written(self, city: str, fmt: str) -> None:
        self._captions.labels(self.city(city), fmt).inc()

    def gateway_probed(self, gateway: str, up: bool, seconds: float) -> None:
        self._up.labels(gateway).set(1 if up else 0)
        self._probe.labels(gateway).set(seconds)

    def gateway_retried(self, gateway: str) -> None:
        self._retries.labels(gateway).inc()

    def gateway_gave_up(self, gateway: str) -> None:
        self._giveups.labels(gateway).inc()

    def circuit_changed(self, gateway: str, is_open: bool) -> None:
        self._circuit.labels(gateway).set(1 if is_open else 0)

    def mount_seen(self, city: str, up: bool) -> None:
        self._mount.labels(self.city(city)).set(1 if up else 0)

    def publication_done(self, city: str, outcome: str) -> None:
        self._publications.labels(self.city(city), outcome).inc()

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "OTHER"
        self._requests.labels(route, method, str(int(status))).observe(seconds)


    def live_word_sent(self, city: str, latency: float) -> None:
        city = self.city(city)
        self._live_words.labels(city).inc()
        self._live_latency.labels(city).observe(latency)

    def live_source(self, city: str, up: bool) -> None:
        self._live_source.labels(self.city(city)).set(1 if up else 0)

    def live_waiting(self, city: str, waiting: bool) -> None:
        self._live_waiting.labels(self.city(city)).set(1 if waiting else 0)

    def live_encoder(self, city: str, up: bool) -> None:
        self._live_encoder.labels(self.city(city)).set(1 if up else 0)
