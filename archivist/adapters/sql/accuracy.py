"""The word error rates measured against a person's words (domain/accuracy/ports.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import schema
from archivist.domain.accuracy.measures import Measure, Reference

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Row


class SqlMeasures(Database):
    """The Measures port."""

    def record(self, measure: Measure) -> None:
        table = schema().caption_accuracy
        values = {"source": measure.source, "machine_revision": measure.machine_revision,
                  "errors": measure.errors, "words": measure.words,
                  "approved_by": measure.by or None, "measured_at": measure.measured_at}

        def work(conn: Connection) -> None:
            key = (table.c.recording_id == measure.recording_id,
                   table.c.reference == str(measure.reference))
            if conn.execute(table.update().where(*key).values(**values)).rowcount == 0:
                conn.execute(table.insert().values(recording_id=measure.recording_id,
                                                   reference=str(measure.reference), **values))
        self._transaction(work)

    def of(self, recording_id: int) -> list[Measure]:
        table = schema().caption_accuracy
        return [_measure(row) for row in self._all(
            table.select().where(table.c.recording_id == recording_id))]

    def all(self) -> list[tuple[str, Measure]]:
        from sqlalchemy import select

        table, recordings = schema().caption_accuracy, schema().recordings
        query = select(table, recordings.c.city).select_from(
            table.join(recordings, recordings.c.id == table.c.recording_id))
        return [(row.city, _measure(row)) for row in self._all(query)]

    def measured(self, reference: Reference, recording_ids: list[int]) -> set[int]:
        if not recording_ids:
            return set()
        table = schema().caption_accuracy
        query = table.select().with_only_columns(table.c.recording_id).where(
            table.c.reference == str(reference), table.c.recording_id.in_(recording_ids))
        return {row.recording_id for row in self._all(query)}


def _measure(row: Row[Any]) -> Measure:
    return Measure(recording_id=row.recording_id, reference=Reference(row.reference),
                   source=row.source, machine_revision=row.machine_revision, errors=row.errors,
                   words=row.words, measured_at=row.measured_at, by=row.approved_by or "")
