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
        # What the archive shows of a recording changes when it is added (recordings are only
        # ever added: the highest id), when it gets a transcript (transcripts are never taken
        # away: their number), and when its latest job is a new one (the highest job id),
        # fails or leaves failed ("Retry"): the failed jobs' number and the sum of their ids,
        # which differ even when one job fails as another is queued again. One round trip of
        # small reads (the ends of primary keys; the failed jobs are few and ix_jobs_queue
        # holds their state and id; one count of the transcripts), cheap beside the list.
        from sqlalchemy import func, select

        r, t, j = schema().recordings, schema().transcripts, schema().jobs
        failed = j.c.state == str(JobState.FAILED)
        found = self._first(select(
            select(func.coalesce(func.max(r.c.id), 0)).scalar_subquery(),
            select(func.count()).select_from(t).scalar_subquery(),
            select(func.coalesce(func.max(j.c.id), 0)).scalar_subquery(),
            select(func.count()).select_from(j).where(failed).scalar_subquery(),
            select(func.coalesce(func.sum(j.c.id), 0)).where(failed).scalar_subquery()))
        return tuple(int(figure) for figure in found) if found is not None else (0,)
