"""What review needs from the database: revisions and review state, the audit log, and each
city's learned vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from archivist.domain.models import Transcript
from archivist.domain.review.audit import AuditEntry, AuditQuery
from archivist.domain.review.revisions import Revision
from archivist.domain.review.state import Review, ReviewState


class Revisions(Protocol):
    """Transcript revisions and review state; each call is one transaction.

    Contract: revisions of a recording are numbered 1, 2, ...; `add_revision` makes revision
    `base + 1` only while `base` is current (else StaleRevision, changing nothing), and makes
    it the recording's transcript (outputs and search read that) in the same transaction.
    """

    def revision(self, recording_id: int, number: int | None = None) -> Revision | None:
        """One revision with its transcript (the current one when `number` is None)."""
        ...

    def revision_json(self, recording_id: int, number: int | None = None
                      ) -> tuple[Revision, str] | None:
        """One revision without its transcript, and its transcript as stored
        (transcript_json), for reading it without building every word."""
        ...

    def revisions(self, recording_id: int) -> list[Revision]:
        """Every revision, newest first, without transcripts."""
        ...

    def add_revision(self, recording_id: int, transcript: Transcript, author: str, base: int,
                     note: str = "", restored_from: int | None = None,
                     pending: Sequence[str] = ()) -> Revision:
        """Make the next revision (state back to in_review), with applying it `pending`."""
        ...

    def review(self, recording_id: int) -> Review | None: ...

    def set_state(self, recording_id: int, state: ReviewState, by: str | None,
                  revision: int) -> Review:
        """Approve (or reopen) `revision`; StaleRevision when it is no longer current."""
        ...

    def set_pending(self, recording_id: int, revision: int, pending: Sequence[str],
                    problems: Sequence[str] = ()) -> bool:
        """Record what applying `revision` still has to do; False (nothing changed) when
        another revision has become current meanwhile."""
        ...

    def pending_reviews(self, limit: int) -> list[Review]:
        """Recordings whose current revision is not yet applied everywhere, oldest first."""
        ...

    def reviews(self, city: str | None = None, state: ReviewState | None = None,
                limit: int = 100) -> list[tuple[Review, str, str]]:
        """(review, city, path) of recordings with a transcript, newest first."""
        ...


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> AuditEntry: ...
    def entries(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching `query`, newest first."""
        ...


class LearnedVocabulary(Protocol):
    def learned(self, city: str) -> list[str]:
        """The city's learned terms, in the order they were learned."""
        ...

    def learn(self, city: str, terms: Sequence[str], by: str) -> list[str]:
        """Add terms (known ones are kept once); returns the city's learned terms."""
        ...

    def replace_learned(self, city: str, terms: Sequence[str], by: str) -> list[str]: ...
