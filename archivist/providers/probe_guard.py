"""Health for a gateway that cannot even be built: report it down, with the reason, and go on.

A bad URL, a missing driver or a data dir under a file makes building the gateway (or the probe
that needs it) fail. The health report must still list every gateway, so the probe is built
through `built_or_down`, which turns that failure into a probe that always answers down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archivist.domain.errors import ArchivistError
from archivist.domain.health import ProbeResult, Status


class Unbuilt:
    """The probe of a gateway that could not be built: always down, saying why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def check(self) -> ProbeResult:
        return ProbeResult(Status.DOWN, self._reason)


def built_or_down(name: str, build: Callable[[], Any]) -> Any:
    """The probe `build()` makes, or an Unbuilt one if making it (or its gateway) fails."""
    try:
        return build()
    except ArchivistError as exc:
        return Unbuilt(name, str(exc))
    except Exception as exc:  # a library's own error while building: still a report, not a crash
        return Unbuilt(name, " ".join(f"cannot be set up: {type(exc).__name__}: {exc}".split()))
