"""Running a call with a deadline: the one way this code waits for work that may hang.

A hung NFS mount, a black-holed database or a probe stuck in a system call never returns, and
Python cannot stop a thread. So the call runs in a daemon thread of its own and the caller
stops waiting at its deadline; the call finishes (or not) later, and its answer is dropped.
A Gate counts one gateway's calls still running past their deadline: past its limit, a
caller is refused at once instead of adding one more stuck thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from archivist.domain.errors import GatewayUnavailable

T = TypeVar("T")


class Gate:
    """One gateway's stuck calls: while `limit` of them are past their deadline and still
    waiting, new calls are turned away at once (the gateway is hung: adding waiters only
    adds stuck threads). Calls that answer in time never count. `label` names the part of
    the gateway it guards (a mount) in the refusal."""

    def __init__(self, name: str, limit: int, label: str = "") -> None:
        self.name, self.limit, self.label = name, limit, label
        self._lock = threading.Lock()
        self._stuck = 0

    def enter(self) -> None:
        with self._lock:
            if self._stuck >= self.limit:
                who = f"{self.label} is " if self.label else ""
                raise GatewayUnavailable(self.name, f"{who}not answering ({self._stuck} earlier "
                                                    "call(s) still waiting past their deadline)")

    def stuck(self, change: int) -> None:
        with self._lock:
            self._stuck += change


class Pending(Generic[T]):
    """A call running in its own daemon thread; wait() for its answer up to a deadline."""

    def __init__(self, fn: Callable[[], T], name: str = "deadline", gate: Gate | None = None) -> None:
        if gate is not None:
            gate.enter()   # refused at once while the gateway has its fill of stuck calls
        self.started = time.monotonic()
        self.seconds = 0.0   # how long the call took, once done
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        self._gate = gate
        self._counted = False          # counted as stuck on the gate
        self._lock = threading.Lock()
        threading.Thread(target=self._run, args=(fn,), daemon=True, name=name).start()

    def _run(self, fn: Callable[[], T]) -> None:
        try:
            self._value = fn()
        except BaseException as exc:  # handed to whoever waits
            self._error = exc
        finally:
            self.seconds = time.monotonic() - self.started
            with self._lock:
                self._done.set()
                if self._counted and self._gate is not None:
                    self._gate.stuck(-1)

    def wait(self, until: float) -> bool:
        """Wait until `until` (on time.monotonic()) at most; True when the call has finished."""
        return self._done.wait(max(0.0, until - time.monotonic()))

    def late(self) -> None:
        """The caller stops waiting: a call still running counts as stuck on its gate until
        it ends."""
        with self._lock:
            if not self._done.is_set() and not self._counted and self._gate is not None:
                self._counted = True
                self._gate.stuck(+1)

    def done(self) -> bool:
        return self._done.is_set()

    def result(self) -> T:
        """The call's value, or its exception raised here (only once it is done)."""
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set when done without an error


def within(fn: Callable[[], T], seconds: float, gateway: str, what: str = "",
           gate: Gate | None = None) -> T:
    """`fn()`'s value or exception, or GatewayUnavailable(gateway) once `seconds` have passed."""
    pending = Pending(fn, name=f"deadline-{gateway}", gate=gate)
    if not pending.wait(time.monotonic() + seconds):
        pending.late()
        raise GatewayUnavailable(gateway, f"{what or gateway}: no answer within {seconds:g}s")
    return pending.result()


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """What a Kept read said: its value, or why there is none; how long it took, and when."""

    value: T | None
    error: str
    seconds: float
    at: float


class Kept(Generic[T]):
    """One read at a time of something slow (a probe round, the backlog), its answer kept
    `keep` seconds. A read that hangs is waited on again, never doubled."""

    def __init__(self, read: Callable[[], T], keep: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._read, self._keep, self._clock = read, keep, clock
        self._lock = threading.Lock()
        self._running: Pending[T] | None = None
        self._kept: Answer[T] | None = None

    def begin(self) -> None:
        """Start a read unless one is running or the kept answer is fresh."""
        with self._lock:
            self._begin()

    def get(self, wait: float, stale: bool = False) -> Answer[T]:
        """The fresh answer; else (with `stale`) the last one while a read already runs; else
        a new or running read's answer, waiting `wait` seconds at most for it."""
        with self._lock:
            was_running = self._running is not None and not self._running.done()
            running = self._begin()
            if running is None or (stale and was_running and self._kept is not None):
                assert self._kept is not None
                return self._kept
        if not running.wait(time.monotonic() + wait):
            return Answer(None, f"no answer within {wait:g}s", time.monotonic() - running.started,
                          self._clock())
        return self._settle(running)

    def _begin(self) -> Pending[T] | None:
        """The read running now, started if the kept answer is stale; None when it is fresh."""
        if self._running is not None and self._running.done():
            self._settle_locked(self._running)
        if self._running is None and not self._fresh():
            self._running = Pending(self._read, name="kept-read")
        return self._running

    def _settle(self, running: Pending[T]) -> Answer[T]:
        with self._lock:
            return self._settle_locked(running)

    def _settle_locked(self, running: Pending[T]) -> Answer[T]:
        if self._running is running:
            self._running = None
            try:
                value: Any = running.result()
                self._kept = Answer(value, "", running.seconds, self._clock())
            except Exception as exc:   # the read's failure is the answer's absence, never a crash
                self._kept = Answer(None, f"{type(exc).__name__}: {' '.join(str(exc).split())}",
                                    running.seconds, self._clock())
        assert self._kept is not None
        return self._kept

    def _fresh(self) -> bool:
        return self._kept is not None and self._clock() - self._kept.at < self._keep
