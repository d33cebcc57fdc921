"""Transcripts: one current transcript per recording, replaced by a re-run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.catalogue import count_change
from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.revisions import put_machine_revision
from archivist.adapters.sql.search import put_passages
from archivist.adapters.sql.tables import schema
from archivist.domain import transcript_json
from archivist.domain.errors import NotFound
from archivist.domain.models import Transcript

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class Transcripts(Database):
    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None:
        """Make this the recording's current transcript, replacing any earlier one."""
        from sqlalchemy.exc import IntegrityError

        try:
            self._transaction(lambda conn: put_transcript(conn, recording_id, job_id, transcript))
        except IntegrityError as exc:
            raise NotFound(f"recording {recording_id} or job {job_id} does not exist") from exc

    def transcript(self, recording_id: int) -> Transcript | None:
        table = schema().transcripts
        row = self._first(table.select().with_only_columns(table.c.body)
                          .where(table.c.recording_id == recording_id))
        return transcript_json.loads(row.body) if row else None

    def has_transcript(self, recording_id: int) -> bool:
        from sqlalchemy import exists, select

        table = schema().transcripts
        found = self._first(select(exists().where(table.c.recording_id == recording_id)))
        return bool(found and found[0])


def put_transcript(conn: Connection, recording_id: int, job_id: int,
                   transcript: Transcript) -> None:
    """Insert or replace a recording's transcript, in one statement (an upsert).

    Two workers finishing the same content at once must not collide on the primary key.
    """
    table = schema().transcripts
    values: dict[str, Any] = {
        "job_id": job_id, "model": transcript.model, "language": transcript.language,
        "duration": transcript.duration, "text": transcript.text,
        "body": transcript_json.dumps(transcript), "created_at": now()}
    # Both dialects spell the upsert the same way; their Insert classes differ only in type.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    statement = dialect_insert(table).values(recording_id=recording_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=[table.c.recording_id],
                                                 set_=values))
    put_machine_revision(conn, recording_id, transcript, values["body"])
    put_passages(conn, recording_id, transcript)   # searchable in the same transaction
    count_change(conn)   # stored or replaced: the archive lists it at its next read
