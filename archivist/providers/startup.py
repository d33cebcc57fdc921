"""Start-up timing, measured by the process itself from the moment its interpreter started.

An entrypoint marks each phase as it reaches it: `import` (its module imported), `container`
(the container built and wired), `ready` (ready for its first request, job or command). A mark
only reads a clock; the interpreter's start time is read from /proc when the figures are asked
for. Without /proc, figures count from when this module was imported, and say so.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

PROCESSES = ("web", "worker", "cli")
PHASES = ("import", "container", "ready")
_CLOCK = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)   # /proc's starttime counts from boot
_marks: dict[tuple[str, str], float] = {}
_lock = threading.Lock()
_package_imported = time.clock_gettime(_CLOCK)


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds from `since` (the interpreter's start) to each phase reached, by process."""

    since: str
    processes: dict[str, dict[str, float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {"since": self.since, "processes": self.processes}


def mark(process: str, phase: str) -> None:
    """Note that `process` reached `phase` now; a phase is timed once per process."""
    assert process in PROCESSES and phase in PHASES, (process, phase)
    now = time.clock_gettime(_CLOCK)
    with _lock:
        _marks.setdefault((process, phase), now)


def figures() -> Timing:
    """The phases this process has reached so far, timed from its interpreter's start."""
    started, since = _interpreter_started(), "interpreter start"
    if started is None:
        started, since = _package_imported, "start-up timing imported"
    with _lock:
        marks = dict(_marks)
    processes: dict[str, dict[str, float]] = {}
    for (process, phase), at in sorted(marks.items(), key=lambda item: item[1]):
        processes.setdefault(process, {})[phase] = round(max(0.0, at - started), 3)
    return Timing(since, processes)


def forget() -> None:
    """Drop every mark (a forked child starts none of its own phases; tests start afresh)."""
    with _lock:
        _marks.clear()


def _interpreter_started() -> float | None:
    """When this process started, on the clock marks use (Linux), or None when unknown."""
    if _CLOCK is not getattr(time, "CLOCK_BOOTTIME", None):
        return None
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            stat = f.read()
        # Field 22, counted after the command name, which is in parentheses and may hold spaces.
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
