"""Whether a live session's source sends: up, down, or not yet heard.

A source that sends nothing for `timeout` is down. While it is down it is opened again once its
opening has given up (`LiveSource.restart` keeps an opening still listening or probing: killed,
it would lose the stream's first seconds), with a growing delay (up to `retry_max`) between
openings that fail at once. When it comes back, the gap is the stream time it was quiet for:
the stream's clock keeps running through it, so captions stay on wall time. Until the first
sound the session is waiting for the source (opened again the same way), which is no gap:
stream time starts at the first sound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archivist.domain.live.ports import LiveSource
from archivist.domain.metrics import Metrics


@dataclass(frozen=True, slots=True)
class Gap:
    """Stream time the source was down for, from its last sound to the sound that came back."""

    start: float
    end: float


class SourceWatch:
    """Watches one session's source: called down after `timeout` s of no sound, opened again,
    paced, and the gap measured when it is back."""

    def __init__(self, city: str, source: LiveSource, metrics: Metrics,
                 timeout: float, retry_max: float) -> None:
        self._city = city
        self._source = source
        self._metrics = metrics
        self._timeout = timeout
        self._retry_max = retry_max
        self.heard = False       # any sound yet: before it, the session waits for the source
        self.opened_at = 0.0     # stream time the source's sound (re)began
        self._down_since: float | None = None    # clock time the source went quiet
        self._down_at = 0.0                       # stream time it went quiet
        self._quiet_from = 0.0                    # clock time of its last sound
        self._last_sound = 0.0
        self._next_try = 0.0
        self._delay = 0.0

    @property
    def up(self) -> bool:
        return self._down_since is None

    @property
    def quiet_from(self) -> float | None:
        """Clock time of the source's last sound while it is down after its first (None while
        it sends, or is still awaited: then nothing has been lost)."""
        return self._quiet_from if self.heard and not self.up else None

    def began(self, now: float) -> None:
        """The session starts at clock time `now`: the source counts as up (not lost) until it
        is quiet, but it is not said to send before its first sound: until then it is waited for."""
        self._last_sound = now
        self._metrics.live_source(self._city, False)
        self._metrics.live_waiting(self._city, True)

    def sound(self, now: float) -> Gap | None:
        """Sound came at clock time `now`: the gap it ends, if the source was down after sound."""
        gap = None
        if self._down_since is not None and self.heard:
            gap = self._back(now)
        elif not self.heard:
            self._came()
        self.heard = True
        self._last_sound = now
        return gap

    def silent(self, now: float) -> bool:
        """Is an up source quiet for longer than `timeout` at clock time `now`?"""
        return self._down_since is None and now - self._last_sound > self._timeout

    def lost(self, now: float, stream_end: float) -> None:
        """The source is down from clock time `now`, its sound having ended at `stream_end`."""
        self._down_since, self._down_at = now, stream_end
        self._quiet_from = self._last_sound
        self._delay, self._next_try = 0.0, now
        self._metrics.live_source(self._city, False)
        if not self.heard:   # started before its stream: a wait, not the source failing
            self._metrics.live_waiting(self._city, True)

    def reopen(self, now: float) -> None:
        """A down source is opened again if it is time to (and its last opening gave up)."""
        if self._down_since is not None and now >= self._next_try and self._source.restart():
            # Paced for an input that fails at once (refused, not found); an opening that
            # waited out its timeout is followed at once, so a stream is not missed between.
            self._delay = min(self._retry_max, max(0.25, self._delay * 2))
            self._next_try = now + self._delay

    def status(self) -> dict[str, Any]:
        """The source's part of the session's status."""
        return {
            "source_up": self.up and self.heard,   # not before its first sound
            "waiting": not self.heard,   # for the source's first sound: not a fault of it
            # The source's own clock (MPEG-TS) at the stream time its sound last began, for
            # the HLS subtitles; only while that opening sends (a new one may be probing).
            "source_timestamp": getattr(self._source, "first_timestamp", None)
            if self.heard and self.up else None,
            "source_opened_at": round(self.opened_at, 3),
            # Why nothing comes or nothing goes (a host that does not resolve, a refused
            # connection), for `live status` and /status; a stand-in that cannot tell says none.
            "source_problem": getattr(self._source, "problem", None) if not self.up else None,
        }

    def _came(self) -> None:
        """The first sound after waiting for it: nothing was lost, stream time starts here."""
        self._down_since = None
        self._metrics.live_source(self._city, True)
        self._metrics.live_waiting(self._city, False)

    def _back(self, now: float) -> Gap:
        # The stream's clock keeps running through the gap, so captions stay on wall time.
        gap = Gap(self._down_at, self._down_at + (now - self._quiet_from))
        self._down_since = None
        self.opened_at = gap.end
        self._metrics.live_source(self._city, True)
        return gap
