"""Recordings (one per distinct content) and the files a scan has hashed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archivist.adapters.sql.database import Database, now
from archivist.adapters.sql.tables import job_from_row, known_file_from_row, recording_from_row, schema
from archivist.domain.models import Job, KnownFile, Recording

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class Recordings(Database):
    def add_recording(self, recording: Recording) -> Recording:
        """Store a recording and return it with its id; known content returns the stored one."""
        from sqlalchemy.exc import IntegrityError

        try:
            return self._transaction(lambda conn: _add(conn, recording))
        except IntegrityError:
            # Another process stored the same content between our look-up and our insert.
            stored = self.recording_by_hash(recording.content_hash)
            if stored is None:
                raise
            return stored

    def recording(self, recording_id: int) -> Recording | None:
        table = schema().recordings
        row = self._first(table.select().where(table.c.id == recording_id))
        return recording_from_row(row) if row else None

    def recording_by_hash(self, content_hash: str) -> Recording | None:
        table = schema().recordings
        row = self._first(table.select().where(table.c.content_hash == content_hash))
        return recording_from_row(row) if row else None

    def known_file(self, path: Path) -> KnownFile | None:
        table = schema().files
        row = self._first(table.select().where(table.c.path == str(path)))
        return known_file_from_row(row) if row else None

    def files_known(self, paths: Sequence[Path]) -> dict[Path, tuple[int, Job | None]]:
        from sqlalchemy import func, select

        files, recordings, jobs = schema().files, schema().recordings, schema().jobs
        wanted = [str(p) for p in paths]
        if not wanted:
            return {}

        def work(conn: Connection) -> dict[Path, tuple[int, Job | None]]:
            known = conn.execute(select(files.c.path, recordings.c.id)
                                 .join(recordings, recordings.c.content_hash == files.c.content_hash)
                                 .where(files.c.path.in_(wanted))).all()
            ids = {row.id for row in known}
            latest = select(func.max(jobs.c.id)).where(jobs.c.recording_id.in_(ids)) \
                .group_by(jobs.c.recording_id)
            found = {row.recording_id: job_from_row(row) for row in
                     conn.execute(jobs.select().where(jobs.c.id.in_(latest)))} if ids else {}
            return {Path(row.path): (row.id, found.get(row.id)) for row in known}
        return self._transaction(work)

    def remember_file(self, known: KnownFile) -> None:
        table = schema().files
        values = {"size": known.size, "mtime": known.mtime, "content_hash": known.content_hash}

        def upsert(conn: Connection) -> None:
            updated = conn.execute(table.update().where(table.c.path == str(known.path))
                                   .values(values)).rowcount
            if not updated:
                conn.execute(table.insert().values(path=str(known.path), **values))
        try:
            self._transaction(upsert)
        except _integrity_error():
            self._transaction(upsert)   # another scan inserted it first: update instead


def _integrity_error() -> type[Exception]:
    from sqlalchemy.exc import IntegrityError

    return IntegrityError


def _add(conn: Connection, recording: Recording) -> Recording:
    table = schema().recordings
    row = conn.execute(table.select().where(
        table.c.content_hash == recording.content_hash)).first()
    if row:
        return recording_from_row(row)
    created_at = recording.created_at or now()
    result = conn.execute(table.insert().values(
        path=str(recording.path), content_hash=recording.content_hash, size=recording.size,
        city=recording.city, duration=recording.duration, created_at=created_at))
    return replace(recording, id=result.inserted_primary_key[0], created_at=created_at)
