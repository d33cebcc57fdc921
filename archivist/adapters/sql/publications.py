"""Publications: the latest result of publishing each recording to Cablecast."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import job_from_row, schema
from archivist.domain.models import Job, JobState, Publication, PublicationState
from archivist.domain.publishing.vod import Chapter

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Row


class Publications(Database):
    def save_publication(self, recording_id: int, publication: Publication,
                         chosen_show_id: int | None = None) -> None:
        table = schema().publications
        values = _values(publication, chosen_show_id)

        def upsert(conn: Connection) -> None:
            # Both dialects spell the upsert the same way; their Insert classes differ in type only.
            if conn.dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            else:
                from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
            statement = dialect_insert(table).values(recording_id=recording_id, **values)
            conn.execute(statement.on_conflict_do_update(
                index_elements=[table.c.recording_id], set_=values))
        self._transaction(upsert)

    def publication(self, recording_id: int) -> tuple[Publication, int | None] | None:
        table = schema().publications
        row = self._first(table.select().where(table.c.recording_id == recording_id))
        return (_publication(row), row.chosen_show_id) if row else None

    def publications_due(self, cities: Sequence[str], limit: int) -> list[Job]:
        """Succeeded jobs of publishing cities whose recording is unpublished, failed or waiting."""
        from sqlalchemy import func, or_, select

        if not cities:
            return []
        jobs, pubs = schema().jobs, schema().publications
        latest = (select(func.max(jobs.c.id)).where(jobs.c.state == str(JobState.SUCCEEDED))
                  .group_by(jobs.c.recording_id).scalar_subquery())
        query = (select(jobs).select_from(jobs.outerjoin(
                     pubs, pubs.c.recording_id == jobs.c.recording_id))
                 .where(jobs.c.id.in_(latest), jobs.c.city.in_(list(cities)),
                        or_(pubs.c.state.is_(None),
                            pubs.c.state.in_([str(PublicationState.FAILED),
                                              str(PublicationState.WAITING)])))
                 .order_by(jobs.c.id.desc()).limit(limit))
        return [job_from_row(row) for row in self._all(query)]


def _values(p: Publication, chosen_show_id: int | None) -> dict[str, Any]:
    return {"media": p.media, "state": str(p.state), "show_id": p.show_id,
            "chosen_show_id": chosen_show_id, "link_reason": p.link_reason, "vod_id": p.vod_id,
            "sidecar": p.sidecar, "sidecar_ref": p.sidecar_ref,
            "chapters": json.dumps([{"id": c.id, "offset": c.offset, "title": c.title,
                                     "body": c.body} for c in p.chapters], ensure_ascii=False),
            "error": p.error, "notes": json.dumps(list(p.notes), ensure_ascii=False),
            "published_at": p.at}


def _publication(row: Row[Any]) -> Publication:
    chapters = tuple(Chapter(int(c["offset"]), c["title"], c.get("body", ""), c.get("id"))
                     for c in json.loads(row.chapters))
    return Publication(media=row.media, state=PublicationState(row.state), show_id=row.show_id,
                       link_reason=row.link_reason, vod_id=row.vod_id, sidecar=row.sidecar,
                       sidecar_ref=row.sidecar_ref, chapters=chapters, error=row.error,
                       notes=tuple(json.loads(row.notes)), at=row.published_at)
