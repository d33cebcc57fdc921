"""The archive's view of the recordings: each with whether it has a transcript."""

from __future__ import annotations

from typing import Any

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
        from sqlalchemy import func, select

        r, t = schema().recordings, schema().transcripts
        recordings = select(func.count(), func.coalesce(func.max(r.c.id), 0))
        if city is not None:
            recordings = recordings.where(r.c.city == city)
        counted = self._first(recordings)
        transcribed = self._first(select(func.count()).select_from(t))
        if counted is None or transcribed is None:
            return (0, 0, 0)
        figures: tuple[Any, ...] = tuple(counted)
        return (int(figures[0]), int(figures[1]), int(transcribed[0]))
