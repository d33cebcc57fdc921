"""Health of the gateways: probe results and running probes under a hard deadline."""

from __future__ import annotations

import enum
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from archivist.domain.deadline import Pending
from archivist.domain.metrics import Metrics, NoMetrics


class Status(enum.StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass(frozen=True, slots=True)
class ProbeResult:
    status: Status
    detail: str = ""


class Probe(Protocol):
    """A health check of one gateway. Never retries: it reports."""

    name: str

    def check(self) -> ProbeResult: ...


@dataclass(frozen=True, slots=True)
class GatewayHealth:
    """One line of the health report."""

    name: str
    status: Status
    detail: str
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "status": str(self.status), "detail": self.detail,
                "seconds": round(self.seconds, 3)}


def overall(report: Iterable[GatewayHealth]) -> Status:
    """The worst status in a report."""
    order = [Status.OK, Status.DEGRADED, Status.DOWN]
    return max((h.status for h in report), key=order.index, default=Status.OK)


def run_probes(probes: Iterable[Probe], deadline: float,
               metrics: Metrics | None = None) -> list[GatewayHealth]:
    """Run every probe at once; any probe still busy at the deadline is reported down.
    Each gateway's state and probe time also go to `metrics`."""
    probes = list(probes)
    until = time.monotonic() + deadline
    running = [Pending(partial(_check, p), name=f"probe-{p.name}") for p in probes]
    report = [pending.result() if pending.wait(until) else
              GatewayHealth(p.name, Status.DOWN, f"no answer within {deadline:g}s", deadline)
              for p, pending in zip(probes, running, strict=True)]
    for health in report:
        (metrics or NoMetrics()).gateway_probed(health.name, health.status is not Status.DOWN,
                                                health.seconds)
    return report


def _check(probe: Probe) -> GatewayHealth:
    started = time.monotonic()
    try:
        result = probe.check()
    except Exception as exc:  # a probe's failure is its report, never a crash
        result = ProbeResult(Status.DOWN, f"{type(exc).__name__}: {exc}")
    return GatewayHealth(probe.name, result.status, result.detail, time.monotonic() - started)
