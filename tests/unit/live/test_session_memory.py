"""Memory stays flat over a long session: nothing the session holds grows with its length."""

from __future__ import annotations

import math
import tracemalloc

from archivist.domain.live.rollup import RollUp
from archivist.domain.live.session import LiveSession
from archivist.domain.models import Word
from tests.unit.live.test_session import Clock, Encoder, Source

RATE = 0.4   # a word every 0.4 s, a full stop every 12th
OURS = (tracemalloc.Filter(True, "*/archivist/domain/live/*"),
        tracemalloc.Filter(True, "*/tests/unit/live/*"))


class Talker:
    """A recognizer hearing an endless meeting, words made as they are asked for."""

    def __init__(self) -> None:
        self.start = self.end = 0.0

    def hear(self, pcm: bytes) -> None:
        self.end += len(pcm) / 32000

    def speech(self, last_seconds: float) -> bool:
        return True

    def pause_within(self, seconds: float, since: float) -> tuple[float, float] | None:
        return None

    def pauses_within(self, seconds: float, since: float) -> list[tuple[float, float]]:
        return []

    def decode(self, prompt: str, final: bool = False) -> list[Word]:
        first, last = math.ceil(self.start / RATE), int(self.end / RATE) - 1
        return [Word(i * RATE, i * RATE + 0.3, f"w{i}" + ("." if i % 12 == 11 else ""))
                for i in range(first, last + 1)]

    def forget(self, until: float) -> None:
        self.start = max(self.start, until)

    def restart(self, at: float) -> None:
        self.start = self.end = at


class Counting:
    """A record that keeps counts only (the real one writes to disk)."""

    def __init__(self, clock: Clock, hours: float) -> None:
        self.clock, self.until, self.words = clock, 1000.0 + hours * 3600, 0

    def began(self, source: str) -> None: ...
    def sent(self, words) -> None: self.words += len(words)
    def rows(self, rows) -> None: ...
    def gap(self, start: float, end: float, wall: float) -> None: ...
    def status(self, status) -> None: ...
    def stop_requested(self) -> bool: return self.clock.now >= self.until
    def ended(self) -> None: ...


class Drain(Encoder):
    def send(self, text: str, said_ago: float = 0.0) -> None:
        pass


def held_after(hours: float) -> tuple[int, int]:
    clock = Clock()
    record = Counting(clock, hours)
    tracemalloc.start()
    session = LiveSession("Riverton", "udp://x", Source(clock), Talker(), Drain(), record,
                          RollUp(), clock=clock, wall=clock)
    session.run(lambda: False)
    # Only what the session's own code (and this test's fakes) allocated and still holds: the
    # process may run other tests' daemon threads, whose allocations are not the session's.
    snapshot = tracemalloc.take_snapshot().filter_traces(OURS)
    held = sum(stat.size for stat in snapshot.statistics("filename"))
    tracemalloc.stop()
    return held, record.words


def test_a_two_hour_session_holds_no_more_than_a_quarter_hour_one():
    short, short_words = held_after(0.25)
    long, long_words = held_after(2.0)
    assert long_words > 7 * short_words > 0
    assert long < short + 100_000, (short, long)
