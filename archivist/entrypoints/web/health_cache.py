"""The health report for web callers: probed at most once per few seconds, one round at a time.

Every probe round can take up to the health deadline; without this, a burst of /health
requests against slow backends would hold every server thread for that long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from archivist.domain.health import GatewayHealth

Report = list[GatewayHealth]


class HealthCache:
    """Run `probe_all` at most once per `seconds`; callers during a round get the last report."""

    def __init__(self, probe_all: Callable[[], Report], seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._probe_all = probe_all
        self._seconds = seconds
        self._clock = clock
        self._round = threading.Lock()       # held while a probe round runs
        self._report: Report | None = None
        self._at = 0.0

    def report(self) -> Report:
        """A report no older than `seconds`, or the previous one while a new round runs."""
        if self._fresh():
            return self._report  # type: ignore[return-value]  # _fresh() says it is set
        if not self._round.acquire(blocking=self._report is None):
            return self._report  # type: ignore[return-value]  # a round is running: last report
        try:
            if not self._fresh():  # another caller may have just finished a round
                report = self._probe_all()
                self._report, self._at = report, self._clock()
            return self._report  # type: ignore[return-value]
        finally:
            self._round.release()

    def refresh_soon(self) -> None:
        """Start a probe round in the background if the report is stale and none is running
        (for a caller that reads the probes' results elsewhere and must not wait)."""
        if self._fresh() or self._round.locked():
            return
        threading.Thread(target=self._background_round, daemon=True, name="health-round").start()

    def _background_round(self) -> None:
        if not self._round.acquire(blocking=False):
            return
        try:
            if not self._fresh():
                report = self._probe_all()
                self._report, self._at = report, self._clock()
        finally:
            self._round.release()

    def _fresh(self) -> bool:
        return self._report is not None and self._clock() - self._at < self._seconds
