"""Measuring a recording when its revision is approved and when a person's caption file is
found beside it: which machine revision, which reference, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from archivist.domain.accuracy.measures import Measure, Reference
from archivist.domain.accuracy.service import Accuracy
from archivist.domain.models import MediaFile, Segment, Transcript
from archivist.domain.review.revisions import Revision
from archivist.domain.review.state import Review, ReviewState
from tests.fakes import FolderLibrary

AT = datetime(2026, 12, 6, tzinfo=UTC)


def transcript(text: str) -> Transcript:
    return Transcript((Segment(0.0, 5.0, text),), 5.0)


class MemoryRevisions:
    """The part of the Revisions port accuracy reads."""

    def __init__(self) -> None:
        self.kept: dict[int, list[Revision]] = {}
        self.reviews: dict[int, Review] = {}

    def add(self, recording_id: int, author: str, text: str) -> None:
        kept = self.kept.setdefault(recording_id, [])
        kept.append(Revision(recording_id, len(kept) + 1, author, AT, transcript=transcript(text)))
        self.reviews[recording_id] = Review(recording_id, len(kept))

    def approve(self, recording_id: int) -> None:
        review = self.reviews[recording_id]
        self.reviews[recording_id] = replace(review, state=ReviewState.APPROVED,
                                             approved_by="staff:ana",
                                             approved_revision=review.revision)

    def review(self, recording_id: int) -> Review | None:
        return self.reviews.get(recording_id)

    def revision(self, recording_id: int, number: int | None = None) -> Revision | None:
        kept = self.kept.get(recording_id, [])
        return next((r for r in kept if r.number == number), None) if number else kept[-1]

    def revisions(self, recording_id: int) -> list[Revision]:
        return [replace(r, transcript=None) for r in reversed(self.kept.get(recording_id, []))]


class MemoryMeasures:
    def __init__(self) -> None:
        self.kept: dict[tuple[int, Reference], Measure] = {}

    def record(self, measure: Measure) -> None:
        self.kept[(measure.recording_id, measure.reference)] = measure

    def of(self, recording_id: int) -> list[Measure]:
        return [m for (r, _), m in self.kept.items() if r == recording_id]

    def all(self) -> list[tuple[str, Measure]]:
        return [("Riverton", m) for m in self.kept.values()]

    def measured(self, reference: Reference, recording_ids: list[int]) -> set[int]:
        return {r for (r, ref) in self.kept if ref is reference and r in recording_ids}


class KnownFiles:
    def __init__(self, known: dict[Path, int]) -> None:
        self.known = known

    def files_known(self, paths):
        return {p: (self.known[p], None) for p in paths if p in self.known}


def test_approving_measures_the_newest_machine_revision_against_the_approved_one() -> None:
    revisions, measures = MemoryRevisions(), MemoryMeasures()
    revisions.add(7, "machine", "an early run that was wrong")
    revisions.add(7, "machine", "council member when moved to approve")
    revisions.add(7, "staff:ana", "Council member Nguyen moved to approve.")
    accuracy = Accuracy(measures, revisions)   # type: ignore[arg-type]
    assert accuracy.approved(7) is None        # not approved yet: nothing to measure against
    revisions.approve(7)
    found = accuracy.approved(7)
    assert found is not None and found.machine_revision == 2 and found.source == "revision 3"
    assert (found.errors, found.words, found.by) == (1, 6, "staff:ana")
    best, every = accuracy.of(7)
    assert best == found and every == [found]
    assert accuracy.cities()["Riverton"].wer == found.wer


def test_approving_the_machines_own_words_measures_no_error() -> None:
    revisions, measures = MemoryRevisions(), MemoryMeasures()
    revisions.add(3, "machine", "Call to order.")
    revisions.approve(3)
    found = Accuracy(measures, revisions).approved(3)   # type: ignore[arg-type]
    assert found is not None and found.wer == 0.0 and found.machine_revision == 1


def test_a_persons_caption_file_beside_a_captioned_recording_is_measured_once(tmp_path) -> None:
    media = tmp_path / "council.mp4"
    (tmp_path / "council.human.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nCouncil member Nguyen moved to approve.\n")
    (tmp_path / "broken.human.scc").write_text("not scc at all\n")
    revisions, measures = MemoryRevisions(), MemoryMeasures()
    revisions.add(1, "machine", "council member when moved to approve")
    revisions.add(2, "machine", "call to order")
    accuracy = Accuracy(measures, revisions, FolderLibrary(),   # type: ignore[arg-type]
                        KnownFiles({media: 1, tmp_path / "broken.mp4": 2}))
    files = [MediaFile(media, 1, 0.0, "Riverton", True, "council.human.vtt"),
             MediaFile(tmp_path / "broken.mp4", 1, 0.0, "Riverton", True, "broken.human.scc"),
             MediaFile(tmp_path / "new.mp4", 1, 0.0, "Riverton", False, "new.human.vtt")]
    found = accuracy.scanned(files)
    assert [(path, m.source, m.errors, m.words) for path, m in found] == \
        [(media, "council.human.vtt", 1, 6)]
    assert accuracy.scanned(files) == []       # measured already: the file is not read again
