"""What the station tells its monitoring: a port the services report through, in their words.

Services say what happened (a job finished, a gateway was probed, a retry was needed); an
adapter turns that into Prometheus series. `NoMetrics` is the default, so the domain and its
tests need no monitoring at all. Every label value passed here is bounded: a configured city
name, a gateway name, an outcome, a caption format; never a path, an id or a secret.
"""

from __future__ import annotations

from typing import Protocol

# What a job run came to, as monitoring counts it (domain/jobs/rules.py's Outcome, narrowed).
OUTCOMES = ("succeeded", "failed", "cancelled", "retried")


class Metrics(Protocol):
    """Where services report what happened. Every method is cheap and never raises."""

    def job_finished(self, city: str, outcome: str, seconds: float = 0.0,
                     audio_seconds: float = 0.0) -> None:
        """A job run ended (`outcome` one of OUTCOMES); times only for one that succeeded."""

    def captions_written(self, city: str, fmt: str) -> None:
        """A caption file of format `fmt` (scc, srt, vtt, txt, json) was written."""

    def gateway_probed(self, gateway: str, up: bool, seconds: float) -> None:
        """A gateway was probed (or read at scrape time): up (ok or degraded) or down."""

    def gateway_retried(self, gateway: str) -> None:
        """A call to a gateway failed transiently and is tried again."""

    def gateway_gave_up(self, gateway: str) -> None:
        """A call to a gateway failed after all its retries, or its deadline."""

    def circuit_changed(self, gateway: str, is_open: bool) -> None:
        """A gateway's circuit breaker opened (calls refused) or closed again."""

    def mount_seen(self, city: str, up: bool) -> None:
        """A city's mount was listed (up) or was missing or hung (down)."""

    def publication_done(self, city: str, outcome: str) -> None:
        """A Cablecast publish attempt ended: published, failed or waiting."""

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        """A web request was answered; `route` is the URL rule, never the raw path."""

    def live_word_sent(self, city: str, latency: float) -> None:
        """A live caption word left for the encoder, `latency` seconds after it was said."""

    def live_source(self, city: str, up: bool) -> None:
        """A live session's source is sending sound (up) or has gone quiet (down)."""

    def live_waiting(self, city: str, waiting: bool) -> None:
        """A live session is waiting for its stream's first sound (started before the stream)."""

    def live_encoder(self, city: str, up: bool) -> None:
        """A live session's caption encoder is connected (up) or not (down)."""


class NoMetrics:
    """Reports nowhere: the default for the domain, its tests, and one-off commands."""

    def job_finished(self, city: str, outcome: str, seconds: float = 0.0,
                     audio_seconds: float = 0.0) -> None:
        pass

    def captions_written(self, city: str, fmt: str) -> None:
        pass

    def gateway_probed(self, gateway: str, up: bool, seconds: float) -> None:
        pass

    def gateway_retried(self, gateway: str) -> None:
        pass

    def gateway_gave_up(self, gateway: str) -> None:
        pass

    def circuit_changed(self, gateway: str, is_open: bool) -> None:
        pass

    def mount_seen(self, city: str, up: bool) -> None:
        pass

    def publication_done(self, city: str, outcome: str) -> None:
        pass

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        pass

    def live_word_sent(self, city: str, latency: float) -> None:
        pass

    def live_source(self, city: str, up: bool) -> None:
        pass

    def live_waiting(self, city: str, waiting: bool) -> None:
        pass

    def live_encoder(self, city: str, up: bool) -> None:
        pass
