"""Hand-written fakes for the web tests."""

from __future__ import annotations

from archivist.domain.health import ProbeResult, Status


class FakeProbe:
    """A probe that reports what it is told (or raises it) and counts its checks."""

    def __init__(self, name: str, status: Status | Exception, detail: str = "") -> None:
        self.name = name
        self._status = status
        self._detail = detail or f"{name} is {status}"
        self.checks = 0

    def check(self) -> ProbeResult:
        self.checks += 1
        if isinstance(self._status, Exception):
            raise self._status
        return ProbeResult(self._status, self._detail)
