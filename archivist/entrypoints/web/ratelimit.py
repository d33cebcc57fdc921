"""Rate limits kept in this process: a fixed window per rule and client.

Small on purpose: no storage thread, no import cost, nothing to configure beyond the counts.
Several web processes each keep their own counts, which still bounds guessing per process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class RateLimits:
    """How many requests of each kind a client may make per window."""

    def __init__(self, per_window: dict[str, int], window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._limits = dict(per_window)
        self._window = window
        self._clock = clock
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}   # (rule, client): (window, n)
        self._lock = threading.Lock()

    def spend(self, rule: str, client: str) -> float | None:
        """Count one request; None if allowed, else the seconds until the client may retry."""
        limit = self._limits.get(rule, 0)
        if limit <= 0:
            return None
        now = self._clock()
        window = int(now // self._window)
        with self._lock:
            if len(self._counts) > 10_000:   # forget clients of finished windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            seen, count = self._counts.get((rule, client), (window, 0))
            count = count + 1 if seen == window else 1
            self._counts[(rule, client)] = (window, count)
        if count <= limit:
            return None
        return max(1.0, math.ceil((window + 1) * self._window - now))
