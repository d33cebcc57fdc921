"""Switchable misbehaviour for the fake Cablecast: latency, hangs, error answers, dropped links."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class Fault:
    """One kind of misbehaviour, for matching requests, `times` times (None: until cleared).

    `when="after"` misbehaves after the request was carried out: the record is made, the
    answer is lost. That is the case that tempts a client into a duplicate.
    """

    latency: float = 0.0          # seconds to wait before answering
    hang: bool = False            # never answer (until the faults are cleared)
    status: int | None = None     # answer with this status instead (500, 503, 429...)
    retry_after: float | None = None   # Retry-After header sent with `status`
    drop: bool = False            # close the connection without a word
    when: str = "before"          # "before" or "after" the request is carried out
    path: str = ""                # only requests whose path contains this
    method: str = ""              # only this method (GET, POST...)
    times: int | None = None
    skip: int = 0                 # matching requests to let through before misbehaving

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Fault:
        known = {f.name for f in fields(cls)}
        unknown = set(body) - known
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        return cls(**body)

    def matches(self, method: str, path: str, when: str) -> bool:
        return (self.when == when and self.path.lower() in path.lower()
                and self.method.upper() in ("", method.upper()))


class Faults:
    """The faults in force, first match wins; thread-safe."""

    def __init__(self, hang_limit: float = 60.0) -> None:
        self.hang_limit = hang_limit
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._release = threading.Event()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Remove every fault and free requests left hanging."""
        with self._lock:
            self._faults.clear()
            self._release.set()
            self._release = threading.Event()

    def take(self, method: str, path: str, when: str) -> Fault | None:
        """The fault for this request, counting it against its `times`."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path, when):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def hang(self) -> None:
        """Block the calling request until the faults are cleared (or the hang limit)."""
        with self._lock:
            release = self._release
        release.wait(self.hang_limit)

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]
