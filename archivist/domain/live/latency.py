"""How long after its sound arrived each word left: the latency a live session reports."""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable

# Latencies kept for the status figures.
_LATENCIES = 200
# Seconds of arrivals kept before the sound the buffer still holds (a word sent is at most
# that much older than the buffer's start).
_BEFORE = 5.0


class Latency:
    """When each stretch of sound arrived (by clock), so that a word sent has a latency: the
    time from its end's sound arriving to its leaving; and the last latencies, for p50/p95."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._arrivals: deque[tuple[float, float]] = deque()   # (stream time, clock) of sound
        self._latest: deque[float] = deque(maxlen=_LATENCIES)

    def arrived(self, stream_end: float, now: float) -> None:
        """The sound up to `stream_end` arrived at clock time `now`."""
        self._arrivals.append((stream_end, now))

    def forget(self, until: float) -> None:
        """The sound before `until` is let go: its arrivals (but for the last `_BEFORE` s) too."""
        while len(self._arrivals) > 1 and self._arrivals[1][0] <= until - _BEFORE:
            self._arrivals.popleft()

    def restart(self) -> None:
        """The stream starts afresh (after a gap): no sound of it has arrived."""
        self._arrivals.clear()

    def of(self, stream_time: float, now: float) -> float:
        """The latency of a word ending at `stream_time` that leaves at clock time `now`,
        counted in p50/p95."""
        latency = self.ago(stream_time, now)
        self._latest.append(latency)
        return latency

    def ago(self, stream_time: float, now: float) -> float:
        """The latency of sound at `stream_time` that leaves at clock time `now`, not counted
        in p50/p95 (a speaker change's `>>`, which is no word of its own)."""
        return max(0.0, now - self._heard_at(stream_time))

    def percentiles(self) -> tuple[float | None, float | None]:
        """p50 and p95 of the last latencies (s, to the hundredth), or None before any."""
        ordered = sorted(self._latest)
        if not ordered:
            return None, None
        return round(ordered[len(ordered) // 2], 2), round(ordered[int(len(ordered) * 0.95)], 2)

    def _heard_at(self, stream_time: float) -> float:
        """Clock time the sound at `stream_time` arrived."""
        arrivals = self._arrivals
        if not arrivals:
            return self._clock()
        i = bisect.bisect_left(arrivals, stream_time, key=lambda a: a[0])
        return arrivals[min(i, len(arrivals) - 1)][1]
