"""The archive's view of the recordings: each with whether it has a transcript."""

from __future__ import annotations

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import schema
from archivist.domain.meetings.archive import Catalogued


class Catalogue(Database):
    def catalogued(self, city: str | None) -> list[Catalogued]:
        from sqlalchemy import select

        r, t = schema().recordings, schema().transcripts
        query = (select(r.c.id, r.c.path, r.c.city, r.c.created_at, r.c.duration,
                        t.c.recording_id.is_not(None).label("transcribed"))
                 .select_from(r.outerjoin(t, t.c.recording_id == r.c.id)))
        if city is not None:
            query = query.where(r.c.city == city)
        return [Catalogued(row.id, row.path, row.city, row.created_at, row.duration,
                           bool(row.transcribed)) for row in self._all(query)]

    def catalogue_mark(self, city: str | None) -> tuple[int, ...]:
        # Recordings are only ever added: the highest id (from the primary key's index, at
        # once) changes with each. Transcripts that arrive later show when the archive's
        # kept list expires.
        from sqlalchemy import func, select

        r = schema().recordings
        found = self._first(select(func.coalesce(func.max(r.c.id), 0)))
        return (int(found[0]) if found is not None else 0,)
