"""What a scrape answers: this process's series (or, in multiprocess mode, those of every
process sharing the directory), the database's backlog read at scrape time, the start-up
phases and the build.

The backlog is read in a thread of its own and waited for a short, fixed time: a database
that hangs makes /metrics say so (archivist_gateway_up{gateway="database"} 0, the backlog
series left out), never makes it hang.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from archivist.adapters.prometheus.metrics import PrometheusMetrics
from archivist.domain.backlog import Backlog
from archivist.domain.deadline import Kept

T = TypeVar("T")
log = logging.getLogger("archivist.metrics")


class BacklogCollector:
    """archivist_jobs, archivist_city_oldest_waiting_seconds, archivist_caption_wer and
    archivist_queue_depth, from the last `refresh()` (which also says whether the database
    answered)."""

    def __init__(self, backlog: Kept[Backlog], depth: Kept[int] | None, queue: str,
                 metrics: PrometheusMetrics, timeout: float) -> None:
        self._backlog, self._depth, self._queue, self._metrics = backlog, depth, queue, metrics
        self._timeout = timeout
        self._last: tuple[Backlog | None, int | None] = (None, None)

    def refresh(self, wait: float | None = None) -> None:
        """Read the database and the broker at once, waiting at most `timeout` (or `wait`,
        if shorter) for both."""
        deadline = time.monotonic() + min(self._timeout, self._timeout if wait is None else wait)
        self._backlog.begin()
        if self._depth is not None:
            self._depth.begin()
        read = self._backlog.get(deadline - time.monotonic())
        if read.error:
            log.warning("backlog not read", extra={"reason": read.error})
        self._metrics.gateway_probed("database", read.value is not None, read.seconds)
        depth = self._depth.get(deadline - time.monotonic()).value if self._depth is not None else None
        self._last = (read.value, depth)

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        backlog, depth = self._last
        if backlog is not None:
            jobs = GaugeMetricFamily("archivist_jobs", "Jobs in each state, by city (from the database).",
                                     labels=["state", "city"])
            # Cities no longer configured share the label "other": summed, or the oldest.
            counts: dict[tuple[str, str], int] = defaultdict(int)
            for (state, city), count in backlog.jobs.items():
                counts[(state, self._metrics.city(city))] += count
            for (state, city), count in sorted(counts.items()):
                jobs.add_metric([state, city], count)
            yield jobs
            oldest = GaugeMetricFamily("archivist_city_oldest_waiting_seconds",
                                       "Age of the city's oldest queued or running job (0: none).",
                                       labels=["city"])
            waits: dict[str, float] = defaultdict(float)
            for city, seconds in backlog.oldest_waiting.items():
                label = self._metrics.city(city)
                waits[label] = max(waits[label], seconds)
            for city, seconds in sorted(waits.items()):
                oldest.add_metric([city], seconds)
            yield oldest
            yield from self._accuracy(backlog)
        if depth is not None:
            queue = GaugeMetricFamily("archivist_queue_depth", "Tickets waiting in the broker queue.",
                                      labels=["queue"])
            queue.add_metric([self._queue], depth)
            yield queue


    def _accuracy(self, backlog: Backlog) -> Iterator[Metric]:
        """Each city's mean word error rate over its measured recordings, and how many."""
        wer = GaugeMetricFamily("archivist_caption_wer",
                                "Mean word error rate of the machine's captions against a "
                                "person's (approved revisions, CART files), by city.",
                                labels=["city"])
        count = GaugeMetricFamily("archivist_caption_wer_recordings",
                                  "Recordings archivist_caption_wer is the mean of, by city.",
                                  labels=["city"])
        # Cities no longer configured share the label "other": their recordings pooled.
        pooled: dict[str, tuple[float, int]] = {}
        for city, figure in backlog.accuracy.items():
            label = self._metrics.city(city)
            total, n = pooled.get(label, (0.0, 0))
            pooled[label] = (total + figure.wer * figure.recordings, n + figure.recordings)
        for label, (total, n) in sorted(pooled.items()):
            if n:
                wer.add_metric([label], total / n)
                count.add_metric([label], n)
        yield wer
        yield count


class StartupCollector:
    """archivist_startup_seconds of this process, and archivist_build_info."""

    def __init__(self, figures: Callable[[], Any], version: str) -> None:
        """`figures()` gives a Timing (providers/startup.py): `.processes` by phase."""
        self._figures, self._version = figures, version

    def describe(self) -> Iterator[Metric]:
        return iter(())

    def collect(self) -> Iterator[Metric]:
        startup = GaugeMetricFamily("archivist_startup_seconds",
                                    "Seconds from the interpreter's start to each start-up phase.",
                                    labels=["process", "phase"])
        for process, phases in self._figures().processes.items():
            for phase, seconds in phases.items():
                startup.add_metric([process, phase], seconds)
        yield startup
        info = GaugeMetricFamily("archivist_build_info", "Always 1; the version in a label.",
                                 labels=["version"])
        info.add_metric([self._version], 1)
        yield info


class Scrape:
    """Renders the metrics of this process (and of its worker children) for a scrape."""

    def __init__(self, metrics: PrometheusMetrics, startup: Callable[[], Any],
                 version: str, backlog: Callable[[], Backlog] | None = None,
                 depth: Callable[[], int] | None = None, queue: str = "",
                 timeout: float = 3.0, keep: float = 5.0) -> None:
        self._metrics = metrics
        self._backlog = BacklogCollector(
            Kept(backlog, keep), Kept(depth, keep) if depth else None,
            queue, metrics, timeout) if backlog is not None else None
        self._extra: list[Any] = [StartupCollector(startup, version),
                                  *([self._backlog] if self._backlog else [])]
        self._local: CollectorRegistry | None = None

    def registry(self) -> CollectorRegistry:
        """What a scrape collects: in multiprocess mode every process's files, else this one's."""
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, directory)
            for collector in self._extra:
                registry.register(collector)
            return registry
        if self._local is None:
            self._local = self._metrics.registry
            for collector in self._extra:
                self._local.register(collector)
        return self._local

    def render(self, accept: str = "", wait: float | None = None) -> tuple[bytes, str]:
        """(body, content type) for a scrape sending this Accept header, waiting at most `wait`
        seconds (default: the scrape timeout) for the database's figures."""
        if self._backlog is not None:
            self._backlog.refresh(wait)
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry()), content_type
