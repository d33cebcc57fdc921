"""Transcript revisions and review state: each save is a compare-and-set on the recording's
current revision, and makes the new revision the transcript search and downloads read, in
the same transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.search import put_passages
from archivist.adapters.sql.tables import schema
from archivist.domain import transcript_json
from archivist.domain.errors import NotFound
from archivist.domain.models import Transcript
from archivist.domain.review.revisions import MACHINE, Revision, StaleRevision, word_count
from archivist.domain.review.state import Review, ReviewState

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Row


class SqlRevisions(Database):
    """The Revisions port (domain/review/ports.py)."""

    def revision(self, recording_id: int, number: int | None = None) -> Revision | None:
        row = self._revision_row(recording_id, number)
        return _revision(row, with_body=True) if row else None

    def revision_json(self, recording_id: int, number: int | None = None
                      ) -> tuple[Revision, str] | None:
        row = self._revision_row(recording_id, number)
        return (_revision(row), row.body) if row else None

    def _revision_row(self, recording_id: int, number: int | None) -> Row[Any] | None:
        table = schema().transcript_revisions
        query = table.select().where(table.c.recording_id == recording_id)
        if number is None:
            query = query.order_by(table.c.revision.desc()).limit(1)
        else:
            query = query.where(table.c.revision == number)
        return self._first(query)

    def revisions(self, recording_id: int) -> list[Revision]:
        table = schema().transcript_revisions
        columns = [c for c in table.c if c.name != "body"]
        query = (table.select().with_only_columns(*columns)
                 .where(table.c.recording_id == recording_id)
                 .order_by(table.c.revision.desc()))
        return [_revision(row) for row in self._all(query)]

    def add_revision(self, recording_id: int, transcript: Transcript, author: str, base: int,
                     note: str = "", restored_from: int | None = None,
                     pending: Sequence[str] = ()) -> Revision:
        from sqlalchemy.exc import IntegrityError

        try:
            return self._transaction(lambda conn: _add(conn, recording_id, transcript, author,
                                                       base, note, restored_from, pending))
        except (IntegrityError, _StaleInside):
            # Another save came first (perhaps took revision base + 1 at the same moment).
            raise self._stale(recording_id, base) from None

    def review(self, recording_id: int) -> Review | None:
        table = schema().reviews
        row = self._first(table.select().where(table.c.recording_id == recording_id))
        return review_from_row(row) if row else None

    def set_state(self, recording_id: int, state: ReviewState, by: str | None,
                  revision: int) -> Review:
        table = schema().reviews
        approved = state is ReviewState.APPROVED
        values: dict[str, Any] = {
            "state": str(state), "updated_at": now(),
            "approved_by": by if approved else None, "approved_at": now() if approved else None,
            "approved_revision": revision if approved else None}

        def work(conn: Connection) -> Review | None:
            done = conn.execute(table.update().where(table.c.recording_id == recording_id,
                                                     table.c.revision == revision).values(**values))
            if done.rowcount == 0:
                return None
            row = conn.execute(table.select().where(table.c.recording_id == recording_id)).first()
            return review_from_row(row) if row else None
        found = self._transaction(work)
        if found is None:
            if self.review(recording_id) is None:
                raise NotFound(f"recording {recording_id} has no transcript")
            raise self._stale(recording_id, revision)
        return found

    def set_pending(self, recording_id: int, revision: int, pending: Sequence[str],
                    problems: Sequence[str] = ()) -> bool:
        table = schema().reviews
        statement = (table.update()
                     .where(table.c.recording_id == recording_id, table.c.revision == revision)
                     .values(pending=json.dumps(list(pending)),
                             problems=json.dumps(list(problems), ensure_ascii=False),
                             updated_at=now()))
        return bool(self._transaction(lambda conn: conn.execute(statement).rowcount))

    def pending_reviews(self, limit: int) -> list[Review]:
        table = schema().reviews
        query = (table.select().where(table.c.pending != "[]")
                 .order_by(table.c.updated_at).limit(limit))
        return [review_from_row(row) for row in self._all(query)]

    def reviews(self, city: str | None = None, state: ReviewState | None = None,
                limit: int = 100) -> list[tuple[Review, str, str]]:
        from sqlalchemy import select

        reviews, recordings = schema().reviews, schema().recordings
        query = (select(reviews, recordings.c.city, recordings.c.path)
                 .select_from(reviews.join(recordings,
                                           recordings.c.id == reviews.c.recording_id))
                 .order_by(reviews.c.recording_id.desc()).limit(limit))
        if city is not None:
            query = query.where(recordings.c.city == city)
        if state is not None:
            query = query.where(reviews.c.state == str(state))
        return [(review_from_row(row), row.city, row.path) for row in self._all(query)]

    def _stale(self, recording_id: int, base: int) -> StaleRevision:
        changed = [r for r in self.revisions(recording_id) if r.number > base]
        current = max((r.number for r in changed), default=base)
        return StaleRevision(recording_id, base, current, sorted(changed, key=lambda r: r.number))


def _add(conn: Connection, recording_id: int, transcript: Transcript, author: str, base: int,
         note: str, restored_from: int | None, pending: Sequence[str]) -> Revision:
    reviews, transcripts = schema().reviews, schema().transcripts
    query = reviews.select().where(reviews.c.recording_id == recording_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()   # saves of one recording wait for each other
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"recording {recording_id} has no transcript")
    if row.revision != base:
        raise _StaleInside()
    at = now()
    number = base + 1
    body = transcript_json.dumps(transcript)
    revision = Revision(recording_id, number, author, at, note, restored_from,
                        word_count(transcript), transcript)
    conn.execute(schema().transcript_revisions.insert().values(
        recording_id=recording_id, revision=number, author=author, created_at=at, note=note,
        restored_from=restored_from, words=revision.words, body=body))
    conn.execute(transcripts.update().where(transcripts.c.recording_id == recording_id).values(
        text=transcript.text, body=body, duration=transcript.duration,
        language=transcript.language))
    put_passages(conn, recording_id, transcript)
    conn.execute(reviews.update().where(reviews.c.recording_id == recording_id).values(
        revision=number, state=str(ReviewState.IN_REVIEW), pending=json.dumps(list(pending)),
        problems="[]", updated_at=at))
    return revision


class _StaleInside(Exception):
    """Raised inside the transaction so it rolls back; told as StaleRevision outside."""


def put_machine_revision(conn: Connection, recording_id: int, transcript: Transcript,
                         body: str) -> None:
    """A transcriber's transcript as the recording's next revision (state `machine`), unless
    it is the current one already (a repeated commit)."""
    from sqlalchemy import select

    table, reviews = schema().transcript_revisions, schema().reviews
    last = conn.execute(select(table.c.revision, table.c.body)
                        .where(table.c.recording_id == recording_id)
                        .order_by(table.c.revision.desc()).limit(1)).first()
    if last is not None and last.body == body:
        return
    number = (last.revision if last is not None else 0) + 1
    at = now()
    conn.execute(table.insert().values(
        recording_id=recording_id, revision=number, author=MACHINE, created_at=at, note="",
        restored_from=None, words=word_count(transcript), body=body))
    values = {"revision": number, "state": str(ReviewState.MACHINE), "approved_by": None,
              "approved_at": None, "approved_revision": None, "pending": "[]",
              "problems": "[]", "updated_at": at}
    # An upsert: two workers finishing the same content at once must not collide.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    statement = dialect_insert(reviews).values(recording_id=recording_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=[reviews.c.recording_id],
                                                 set_=values))


def review_from_row(row: Row[Any]) -> Review:
    return Review(recording_id=row.recording_id, revision=row.revision,
                  state=ReviewState(row.state), approved_by=row.approved_by,
                  approved_at=row.approved_at, approved_revision=row.approved_revision,
                  pending=tuple(json.loads(row.pending)), problems=tuple(json.loads(row.problems)),
                  updated_at=row.updated_at)


def _revision(row: Row[Any], with_body: bool = False) -> Revision:
    return Revision(recording_id=row.recording_id, number=row.revision, author=row.author,
                    created_at=row.created_at, note=row.note or "",
                    restored_from=row.restored_from, words=row.words,
                    transcript=_transcript(row.body) if with_body else None)


@lru_cache(maxsize=4)
def _transcript(body: str) -> Transcript:
    # A stored revision never changes, and a save reads the current one back (the editor's
    # next save reads it again): the same text gives the same (immutable) transcript.
    return transcript_json.loads(body)
