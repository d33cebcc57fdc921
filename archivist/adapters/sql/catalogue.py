"""The archive's view of the recordings: each with whether it has a transcript, and
whether its latest captioning failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import schema
from archivist.domain.meetings.archive import Catalogued
from archivist.domain.models import JobState

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class Catalogue(Database):
    def catalogued(self, city: str | None) -> list[Catalogued]:
        from sqlalchemy import select

        r, t, j = schema().recordings, schema().transcripts, schema().jobs
        latest = (select(j.c.state).where(j.c.recording_id == r.c.id)
                  .order_by(j.c.id.desc()).limit(1).scalar_subquery())
        query = (select(r.c.id, r.c.path, r.c.city, r.c.created_at, r.c.duration,
                        t.c.recording_id.is_not(None).label("transcribed"),
                        (latest == str(JobState.FAILED)).label("failed"))
                 .select_from(r.outerjoin(t, t.c.recording_id == r.c.id)))
        if city is not None:
            query = query.where(r.c.city == city)
        return [Catalogued(row.id, row.path, row.city, row.created_at, row.duration,
                           bool(row.transcribed), bool(row.failed)) for row in self._all(query)]

    def catalogue_mark(self, city: str | None) -> tuple[int, ...]:
        # Two key lookups, whatever the archive's size (asked on every page): the highest
        # recording id (recordings are only ever added) and the change counter every other
        # write that alters the list counts up in its own transaction (count_change). Counts
        # over transcripts or jobs would grow with the archive, and miss a replaced transcript.
        from sqlalchemy import func, select

        r, changes = schema().recordings, schema().catalogue_changes
        found = self._first(select(
            select(func.coalesce(func.max(r.c.id), 0)).scalar_subquery(),
            select(changes.c.changes).where(changes.c.id == 1).scalar_subquery()))
        # No counter row yet (none changed since migrating): 0.
        return tuple(int(figure or 0) for figure in found) if found is not None else (0,)


def count_change(conn: Connection) -> None:
    """Count up the archive's change counter, in the caller's transaction: call it with every
    write that changes what the archive shows of a recording (a transcript stored or replaced,
    a job queued, failing or leaving failed), so the next page read lists it."""
    changes = schema().catalogue_changes
    # An upsert: the first change makes the row (none after migrating or emptying the tables).
    # PostgreSQL holds the row until the commit, so callers count last where they can.
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    statement = dialect_insert(changes).values(id=1, changes=1)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[changes.c.id], set_={"changes": changes.c.changes + 1}))
