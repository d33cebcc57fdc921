"""What a call that leaves the process is given: timeouts, a retry policy, a circuit.

These are plain values and callables so that adapters (which make the calls) and providers
(which build the policies from config) share them without importing each other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archivist.domain.metrics import Metrics, NoMetrics

# Calls a function, retrying the failures it deems transient within its bounds, and returns
# its result or raises its last error. providers.policies.RetryPolicy is one.
Retry = Callable[[Callable[[], Any]], Any]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to open a connection, and to wait for each read of an answer."""

    connect: float
    read: float

    @property
    def pair(self) -> tuple[float, float]:
        return (self.connect, self.read)


class Circuit:
    """Stops calling a backend that keeps failing, so callers fail fast instead of waiting.

    After `threshold` consecutive failures the circuit opens for `cooldown` seconds: calls are
    refused at once. Then one trial call is let through (half-open); its success closes the
    circuit, its failure opens it again. Thread-safe; one per backend per process.
    """

    def __init__(self, threshold: int = 5, cooldown: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, name: str = "cablecast",
                 metrics: Metrics | None = None) -> None:
        self.threshold = max(1, int(threshold))
        self.cooldown = float(cooldown)
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False
        self.last_error = ""
        self.name = name
        self._metrics = metrics or NoMetrics()

    @property
    def is_open(self) -> bool:
        """True while calls are refused (open, and not yet due for a trial)."""
        with self._lock:
            return self._opened_at is not None and self._retry_in() > 0

    def retry_in(self) -> float:
        """Seconds until a trial call is allowed (0 when calls may go through)."""
        with self._lock:
            return self._retry_in() if self._opened_at is not None else 0.0

    def allow(self) -> bool:
        """Whether a call may go out now; in half-open state only one trial at a time."""
        with self._lock:
            if self._opened_at is None:
                return True
            if self._retry_in() > 0 or self._trial:
                return False
            self._trial = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            was_open = self._opened_at is not None
            self._failures, self._opened_at, self._trial = 0, None, False
        if was_open:
            self._metrics.circuit_changed(self.name, False)

    def failed(self, error: str = "") -> None:
        with self._lock:
            self._failures += 1
            self.last_error = error or self.last_error
            opens = self._trial or self._failures >= self.threshold
            if opens:
                self._opened_at, self._trial = self._clock(), False
        if opens:
            self._metrics.circuit_changed(self.name, True)

    def describe(self) -> str:
        """One line for health reports and errors."""
        with self._lock:
            if self._opened_at is None:
                return f"closed ({self._failures} recent failure(s))"
            last = f"; last: {self.last_error}" if self.last_error else ""
            return (f"open after {self._failures} consecutive failures, next try in "
                    f"{max(0.0, self._retry_in()):.0f}s{last}")

    def _retry_in(self) -> float:
        assert self._opened_at is not None
        return self._opened_at + self.cooldown - self._clock()
