"""Reviewing a transcript: read any revision, save an edit, restore an old one, approve; each
change applied to every output by the Applier. The editor (through the API) and the CLI use it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archivist.domain.errors import ArchivistError, NotFound
from archivist.domain.models import Transcript
from archivist.domain.review.apply import CABLECAST, Applied, Applier
from archivist.domain.review.ports import LearnedVocabulary, Revisions
from archivist.domain.review.revisions import (
    MAX_NOTE,
    EditedLine,
    InvalidEdit,
    Revision,
    StaleRevision,
    edited,
    same_lines,
)
from archivist.domain.review.state import PublishWhen, Review, ReviewState
from archivist.domain.review.vocabulary import merged, suggestions

if TYPE_CHECKING:
    from archivist.domain.accuracy.service import Accuracy

log = logging.getLogger("archivist.review")


@dataclass(frozen=True, slots=True)
class Saved:
    """A save's outcome: the (new or unchanged) current revision, its review, what applying
    it did, and names worth adding to the city's vocabulary."""

    revision: Revision
    review: Review
    applied: Applied
    suggested: tuple[str, ...] = ()
    created: bool = True


class Reviews:
    """Revisions, sign-off and applying them, for one recording at a time."""

    def __init__(self, revisions: Revisions, applier: Applier, vocabulary: LearnedVocabulary,
                 configured: dict[str, tuple[str, ...]] | None = None,
                 accuracy: Accuracy | None = None) -> None:
        self._revisions = revisions
        self._accuracy = accuracy
        self._applier = applier
        self._vocabulary = vocabulary
        self._configured = configured or {}

    def revision(self, recording_id: int, number: int | None = None) -> tuple[Revision, Review]:
        """A revision (the current one by default) and the recording's review."""
        review = self._review(recording_id)
        found = self._revisions.revision(recording_id, number)
        if found is None:
            raise NotFound(f"recording {recording_id} has no revision {number}")
        return found, review

    def revision_json(self, recording_id: int, number: int | None = None
                      ) -> tuple[Revision, Review, str]:
        """A revision (without its transcript), the review, and the transcript as stored
        (transcript_json): what reading a long meeting's transcript needs, quickly."""
        review = self._review(recording_id)
        found = self._revisions.revision_json(recording_id, number)
        if found is None:
            raise NotFound(f"recording {recording_id} has no revision {number}")
        return found[0], review, found[1]

    def history(self, recording_id: int) -> tuple[list[Revision], Review]:
        review = self._review(recording_id)
        return self._revisions.revisions(recording_id), review

    def save(self, recording_id: int, lines: Sequence[EditedLine], base: int, author: str,
             note: str = "", city: str = "") -> Saved:
        """Save an edit made from revision `base` and apply it.

        StaleRevision when another revision has been saved since `base`; InvalidEdit for lines
        that cannot be a transcript. The same lines as the current revision make no new one.
        """
        current, _ = self.revision(recording_id)
        if base != current.number:
            raise self._stale(recording_id, base, current.number)
        assert current.transcript is not None
        transcript = edited(current.transcript, lines)
        return self._store(recording_id, current, transcript, author, note, city, None)

    def restore(self, recording_id: int, number: int, author: str, base: int | None = None,
                note: str = "", city: str = "") -> Saved:
        """Make a new revision with revision `number`'s text (and times)."""
        current, _ = self.revision(recording_id)
        if base is not None and base != current.number:
            raise self._stale(recording_id, base, current.number)
        old, _ = self.revision(recording_id, number)
        assert old.transcript is not None
        return self._store(recording_id, current, old.transcript, author,
                           note or f"restored revision {number}", city, number)

    def approve(self, recording_id: int, by: str, revision: int | None = None) -> Saved:
        """Sign off the current revision (or refuse if `revision` is no longer current); a
        city that publishes approved captions only has them sent to Cablecast now."""
        return self._set_state(recording_id, ReviewState.APPROVED, by, revision)

    def reopen(self, recording_id: int, by: str) -> Saved:
        """Put an approved recording back in review."""
        return self._set_state(recording_id, ReviewState.IN_REVIEW, by, None)

    def apply(self, recording_id: int) -> Applied:
        return self._applier.apply(recording_id)

    def vocabulary(self, city: str) -> tuple[tuple[str, ...], list[str]]:
        """(configured terms, learned terms) of a city."""
        return self._configured.get(city, ()), self._vocabulary.learned(city)

    def _set_state(self, recording_id: int, state: ReviewState, by: str,
                   revision: int | None) -> Saved:
        current, _ = self.revision(recording_id)
        number = current.number if revision is None else revision
        review = self._revisions.set_state(recording_id, state, by, number)
        city = self._city(recording_id)
        if state is ReviewState.APPROVED and self._applier.publishes(city) \
                and self._applier.publish_when(city) is PublishWhen.ON_APPROVAL:
            self._revisions.set_pending(recording_id, number, sorted({*review.pending, CABLECAST}),
                                        review.problems)
        applied = self._applier.apply(recording_id)
        if state is ReviewState.APPROVED:
            self._measure(recording_id)
        return Saved(current, self._review(recording_id), applied, (), False)

    def _measure(self, recording_id: int) -> None:
        """Record the machine's word error rate against the approved revision; a failure
        here is logged, never undoes the approval (the figure is taken again next time)."""
        if self._accuracy is None:
            return
        try:
            self._accuracy.approved(recording_id)
        except ArchivistError as exc:
            log.warning("accuracy not measured", extra={"recording": recording_id,
                                                        "reason": str(exc)})

    def _store(self, recording_id: int, current: Revision, transcript: Transcript, author: str,
               note: str, city: str, restored_from: int | None) -> Saved:
        if len(note) > MAX_NOTE:
            raise InvalidEdit(f"note: at most {MAX_NOTE} characters")
        assert current.transcript is not None
        city = city or self._city(recording_id)
        if same_lines(transcript, current.transcript):
            review = self._review(recording_id)
            return Saved(current, review, self._applier.status(review, city), (), False)
        steps = self._applier.steps_for_save(city)
        with self._applier.keeping(recording_id):   # the stored JSON and the files, line by line
            revision = self._revisions.add_revision(recording_id, transcript, author,
                                                    current.number, note, restored_from, steps)
            applied = self._applier.apply(recording_id, revision)
        configured, learned = self.vocabulary(city)
        suggested = suggestions(current.transcript, transcript, merged(configured, learned))
        return Saved(revision, self._review(recording_id), applied, tuple(suggested))

    def _city(self, recording_id: int) -> str:
        return self._applier.city_of(recording_id)

    def _review(self, recording_id: int) -> Review:
        review = self._revisions.review(recording_id)
        if review is None:
            raise NotFound(f"recording {recording_id} has no transcript")
        return review

    def _stale(self, recording_id: int, base: int, current: int) -> StaleRevision:
        changed = [r for r in self._revisions.revisions(recording_id) if r.number > base]
        return StaleRevision(recording_id, base, current, sorted(changed, key=lambda r: r.number))
