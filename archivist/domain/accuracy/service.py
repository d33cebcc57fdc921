"""Measuring the machine's words against a person's: when a revision is approved, and when
a scan finds a person's caption file beside a captioned recording."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from archivist.domain.accuracy.measures import CityAccuracy, Measure, Reference, by_city, preferred
from archivist.domain.accuracy.ports import Measures
from archivist.domain.accuracy.wer import word_errors
from archivist.domain.errors import ArchivistError, NotFound
from archivist.domain.review.revisions import MACHINE, Revision
from archivist.domain.review.state import ReviewState

if TYPE_CHECKING:
    from archivist.domain.models import MediaFile
    from archivist.domain.ports import MediaLibrary, Repository
    from archivist.domain.review.ports import Revisions

log = logging.getLogger("archivist.accuracy")


class Accuracy:
    """Word error rates of the machine's transcripts, per recording and per city."""

    def __init__(self, measures: Measures, revisions: Revisions,
                 library: MediaLibrary | None = None, repository: Repository | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._measures = measures
        self._revisions = revisions
        self._library = library
        self._repo = repository
        self._clock = clock

    def approved(self, recording_id: int) -> Measure | None:
        """Measure the machine's revision against the approved one (None: nothing approved)."""
        review = self._revisions.review(recording_id)
        if review is None or review.state is not ReviewState.APPROVED \
                or review.approved_revision is None:
            return None
        reference = self._revisions.revision(recording_id, review.approved_revision)
        machine = self._machine(recording_id, review.approved_revision)
        if reference is None or reference.transcript is None or machine is None:
            return None
        return self._keep(recording_id, Reference.APPROVED, f"revision {reference.number}",
                          machine, reference.transcript.text, review.approved_by or "")

    def against_file(self, recording_id: int, reference: Path) -> Measure | None:
        """Measure the machine's revision against a person's caption file (SCC, WebVTT, SRT).

        Raises ArchivistError (MediaError, CaptionFileError) for a file that cannot be read.
        """
        from archivist.domain.captions.reading import caption_text

        if self._library is None:
            raise ArchivistError("no media library to read caption files from")
        words = caption_text(self._library.read_text(reference), reference.suffix.lstrip(".").lower())
        machine = self._machine(recording_id, None)
        if machine is None:
            return None
        return self._keep(recording_id, Reference.HUMAN, reference.name, machine, words, "")

    def scanned(self, files: Sequence[MediaFile]) -> list[tuple[Path, Measure]]:
        """Measure each captioned recording that has a person's caption file beside it and
        no measure against one yet; a file that cannot be read is logged and skipped."""
        beside = [f for f in files if f.captioned and f.reference]
        if not beside or self._repo is None:
            return []
        known = self._repo.files_known([f.path for f in beside])
        ids = {f.path: known[f.path][0] for f in beside if f.path in known}
        done = self._measures.measured(Reference.HUMAN, sorted(set(ids.values())))
        found: list[tuple[Path, Measure]] = []
        for media in beside:
            recording_id = ids.get(media.path)
            if recording_id is None or recording_id in done:
                continue
            done.add(recording_id)
            try:
                measure = self.against_file(recording_id, media.path.parent / media.reference)
            except ArchivistError as exc:
                log.warning("caption file not measured", extra={
                    "recording": recording_id, "path": media.reference, "reason": str(exc)})
                continue
            if measure is not None:
                found.append((media.path, measure))
        return found

    def of(self, recording_id: int) -> tuple[Measure | None, list[Measure]]:
        """(the measure that speaks for the recording, every measure of it)."""
        found = self._measures.of(recording_id)
        return preferred(found), found

    def of_file(self, media: Path) -> tuple[Measure | None, list[Measure]]:
        """The measures of the recording at `media`, as `of`; (None, []) for a file the
        database does not know."""
        if self._repo is None:
            return None, []
        known = self._repo.files_known([media])
        return self.of(known[media][0]) if media in known else (None, [])

    def cities(self) -> dict[str, CityAccuracy]:
        """Each city's mean word error rate over its measured recordings."""
        return by_city(self._measures.all())

    def _machine(self, recording_id: int, upto: int | None) -> Revision | None:
        """The newest revision the transcriber wrote (at or before revision `upto`)."""
        for listed in self._revisions.revisions(recording_id):   # newest first
            if listed.author == MACHINE and (upto is None or listed.number <= upto):
                found = self._revisions.revision(recording_id, listed.number)
                return found if found is not None and found.transcript is not None else None
        return None

    def _keep(self, recording_id: int, reference: Reference, source: str, machine: Revision,
              text: str, by: str) -> Measure:
        if machine.transcript is None:
            raise NotFound(f"recording {recording_id} has no machine transcript")
        errors = word_errors(text, machine.transcript.text)
        measure = Measure(recording_id, reference, source, machine.number, errors.errors,
                          errors.words, self._clock(), by)
        self._measures.record(measure)
        log.info("accuracy measured", extra={"recording": recording_id, "reference": str(reference),
                                             "source": source, "wer": round(measure.wer, 4)})
        return measure
