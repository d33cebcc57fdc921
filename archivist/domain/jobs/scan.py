"""Scanning the city mounts: every new recording gets a job, newest first, nothing twice."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from archivist.domain.city_names import city_name
from archivist.domain.errors import ArchivistError, GatewayUnavailable, MediaError
from archivist.domain.jobs.rules import Jobs
from archivist.domain.metrics import Metrics, NoMetrics
from archivist.domain.models import City, MediaFile
from archivist.domain.ports import MediaLibrary

if TYPE_CHECKING:
    from archivist.domain.accuracy.service import Accuracy

log = logging.getLogger("archivist.scan")


@dataclass(slots=True)
class ScanReport:
    """What a scan found: queued, skipped with why, files it could not read (they vanished
    or failed to read: the next scan tries them again), files it could not queue (the database
    did not answer: the next scan tries them again), and cities it could not read."""

    queued: list[tuple[Path, int]] = field(default_factory=list)       # (path, job id)
    skipped: list[tuple[Path, str]] = field(default_factory=list)      # (path, reason)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)   # (path, reason)
    unreachable: list[tuple[str, str]] = field(default_factory=list)   # (city, reason)
    not_queued: list[tuple[Path, str]] = field(default_factory=list)   # (path, reason)
    measured: list[tuple[Path, str]] = field(default_factory=list)     # (path, what it found)
    database_down: str = ""   # why the database refused the first file: the rest are not tried

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        return {
            "queued": [{"path": str(p), "job_id": j} for p, j in self.queued],
            "skipped": [{"path": str(p), "reason": r} for p, r in self.skipped],
            "unreadable": [{"path": str(p), "reason": r} for p, r in self.unreadable],
            "unreachable": [{"city": c, "reason": r} for c, r in self.unreachable],
            "not_queued": [{"path": str(p), "reason": r} for p, r in self.not_queued],
            "measured": [{"path": str(p), "accuracy": a} for p, a in self.measured],
        }


class Scanner:
    """Lists each city's mount and asks for captions of what is new."""

    def __init__(self, library: MediaLibrary, jobs: Jobs, formats: Sequence[str],
                 settle_seconds: float, clock: Callable[[], float] = time.time,
                 metrics: Metrics | None = None, accuracy: Accuracy | None = None) -> None:
        self._library = library
        self._accuracy = accuracy
        self._jobs = jobs
        self._formats = list(formats)
        self._settle = settle_seconds
        self._clock = clock
        self._metrics = metrics or NoMetrics()

    def scan(self, city: str | None = None) -> ScanReport:
        """Scan every city (or the one named, in any case: UnknownCity if none is so named); a
        mount that is down is reported and skipped."""
        cities = list(self._library.cities())
        if city is not None:
            wanted = city_name((c.name for c in cities), city)
            cities = [c for c in cities if c.name == wanted]
        report = ScanReport()
        for each in cities:
            self._scan_city(each, report)
        log.info("scan done", extra={"queued": len(report.queued), "skipped": len(report.skipped),
                                     "unreadable": len(report.unreadable),
                                     "unreachable": len(report.unreachable),
                                     "not_queued": len(report.not_queued)})
        return report

    def _scan_city(self, city: City, report: ScanReport) -> None:
        try:
            files = self._library.recordings(city)
        except GatewayUnavailable as exc:
            log.warning("mount unreachable", extra={"city": city.name, "reason": exc.reason})
            report.unreachable.append((city.name, exc.reason))
            self._metrics.mount_seen(city.name, False)
            return
        self._metrics.mount_seen(city.name, True)
        # Newest first in the report; queued oldest first, so that workers, which take the
        # newest job of a priority first, caption tonight's meeting before last month's.
        decided: list[tuple[MediaFile, str | None]] = [(f, self._reason_to_skip(f)) for f in files]
        outcomes: dict[Path, tuple[str, int | str]] = {}
        for media, reason in reversed(decided):
            if reason is not None:
                outcomes[media.path] = ("skipped", reason)
                continue
            if report.database_down:
                # One wait for a database that does not answer, not one per file (a mount of a
                # thousand recordings would hold the scan for hours).
                outcomes[media.path] = ("not queued", report.database_down)
                continue
            try:
                submission = self._jobs.submit(media.path, city=city.name, formats=self._formats,
                                               again=False)
            except ArchivistError as exc:
                reason = _unreadable(exc)
                if reason is not None:
                    # Vanished or failed to read since the listing: report it, go on with the rest.
                    log.warning("file not read", extra={"city": city.name, "path": str(media.path),
                                                        "reason": reason})
                    outcomes[media.path] = ("unreadable", reason)
                elif isinstance(exc, GatewayUnavailable) and exc.gateway == "database":
                    log.warning("database unavailable: nothing more queued",
                                extra={"city": city.name, "reason": exc.reason})
                    report.database_down = str(exc)
                    outcomes[media.path] = ("not queued", str(exc))
                else:   # another refusal
                    outcomes[media.path] = ("skipped", f"not queued: {exc}")
                continue
            if submission.created and submission.job is not None and submission.job.id is not None:
                outcomes[media.path] = ("queued", submission.job.id)
            else:
                outcomes[media.path] = ("skipped", submission.note)
        for media, _ in decided:
            kind, value = outcomes[media.path]
            if kind == "queued":
                report.queued.append((media.path, int(value)))
            elif kind == "unreadable":
                report.unreadable.append((media.path, str(value)))
            elif kind == "not queued":
                report.not_queued.append((media.path, str(value)))
            else:
                report.skipped.append((media.path, str(value)))
        self._measure(files, report)

    def _measure(self, files: Sequence[MediaFile], report: ScanReport) -> None:
        """Measure the machine's words against a person's caption file beside a captioned
        recording (once per recording); never fails the scan."""
        if self._accuracy is None or report.database_down:
            return   # measures are kept in the database: it was waited for once already
        try:
            measures = self._accuracy.scanned(files)
        except ArchivistError as exc:
            log.warning("caption files not measured", extra={"reason": str(exc)})
            if isinstance(exc, GatewayUnavailable) and exc.gateway == "database":
                report.database_down = str(exc)
            return
        for media, measure in measures:
            report.measured.append((media, measure.describe()))

    def _reason_to_skip(self, media: MediaFile) -> str | None:
        age = self._clock() - media.mtime
        if age < self._settle:
            return f"still being written (changed {max(age, 0):.0f}s ago)"
        if media.captioned:   # the listing saw it: no second look at the mount per file
            return "already has captions (.scc beside it)"
        return None


def _unreadable(exc: ArchivistError) -> str | None:
    """Why the file could not be read, when that is what went wrong (not the database)."""
    if isinstance(exc, MediaError) or (isinstance(exc, GatewayUnavailable) and exc.gateway == "library"):
        return exc.reason
    return None
