"""The archive's view of the recordings: each with whether it has a transcript, and
whether its latest captioning failed."""

from __future__ import annotations

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import schema
from archivist.domain.meetings.archive import Catalogued
from archivist.domain.models import JobState


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
        # Recordings are only ever added: the highest id (from the primary key's index, at
        # once) changes with each. Transcripts that arrive later show when the archive's
        # kept list expires.
        from sqlalchemy import func, select

        r = schema().recordings
        found = self._first(select(func.coalesce(func.max(r.c.id), 0)))
        return (int(found[0]) if found is not None else 0,)
