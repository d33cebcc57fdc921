"""Live sessions in the database: their transcripts as passages (the LiveTranscripts port),
the recording each became (LiveLinks), and what the live pages list."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archivist.adapters.sql.database import Database
from archivist.adapters.sql.tables import schema
from archivist.domain.live.ports import KeptSession
from archivist.domain.live.recording import Landed, SessionSpan
from archivist.domain.models import JobState
from archivist.domain.search.passages import Passage

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# Sessions older than this that never found their recording are not looked at again.
_LINK_WITHIN = dt.timedelta(days=14)


class SqlLiveSessions(Database):
    """Live sessions' transcripts, links to their recordings, and listings for the pages."""

    # LiveTranscripts
    def kept(self, city: str, name: str) -> KeptSession | None:
        table = schema().live_sessions
        row = self._first(table.select().with_only_columns(table.c.kept_offset, table.c.ended_at)
                          .where(table.c.city == city, table.c.name == name))
        return KeptSession(int(row.kept_offset), row.ended_at is not None) if row else None

    def opened(self, city: str, name: str, source: str, started: dt.datetime) -> None:
        from sqlalchemy.exc import IntegrityError

        table = schema().live_sessions
        try:
            self._transaction(lambda conn: conn.execute(table.insert().values(
                city=city, name=name, source=source[:2000], started_at=started, kept_offset=0)))
        except IntegrityError:
            pass   # kept already (two keepers, or a retried commit): the same session

    def keep(self, city: str, name: str, passages: Sequence[Passage], replace_from: float | None,
             offset: int, last_word_at: dt.datetime | None, ended: dt.datetime | None) -> None:
        sessions, table = schema().live_sessions, schema().live_passages

        def work(conn: Connection) -> None:
            session_id = conn.execute(sessions.select().with_only_columns(sessions.c.id).where(
                sessions.c.city == city, sessions.c.name == name)).scalar_one()
            if replace_from is not None:
                conn.execute(table.delete().where(table.c.session_id == session_id,
                                                  table.c.start_seconds >= replace_from - 0.005))
            if passages:
                conn.execute(table.insert(), [
                    {"session_id": session_id, "start_seconds": p.start, "end_seconds": p.end,
                     "text": p.text, "words": json.dumps(p.words, ensure_ascii=False)}
                    for p in passages])
            values: dict[str, Any] = {"kept_offset": offset}
            if last_word_at is not None:
                values["last_word_at"] = last_word_at
            if ended is not None:
                values["ended_at"] = ended
            conn.execute(sessions.update().where(sessions.c.id == session_id).values(**values))
        self._transaction(work)

    # LiveLinks
    def unlinked(self) -> list[SessionSpan]:
        table = schema().live_sessions
        since = dt.datetime.now(dt.UTC) - _LINK_WITHIN
        rows = self._all(table.select().where(table.c.recording_id.is_(None),
                                              table.c.started_at >= since))
        return [SessionSpan(row.city, row.name, row.started_at,
                            row.ended_at or row.last_word_at or row.started_at) for row in rows]

    def landed(self, city: str, since: dt.datetime) -> list[Landed]:
        from sqlalchemy import and_, exists

        recordings, files, jobs = schema().recordings, schema().files, schema().jobs
        failed = str(JobState.FAILED)
        # A file whose every job failed (empty, not media) is no meeting's recording; one
        # retried (queued again) is looked at again.
        only_failed = and_(
            exists().where(jobs.c.recording_id == recordings.c.id, jobs.c.state == failed),
            ~exists().where(jobs.c.recording_id == recordings.c.id, jobs.c.state != failed))
        rows = self._all(
            recordings.select().with_only_columns(recordings.c.id, recordings.c.path,
                                                  recordings.c.duration, files.c.mtime)
            .select_from(recordings.outerjoin(files, files.c.path == recordings.c.path))
            .where(recordings.c.city == city, recordings.c.created_at >= since, ~only_failed))
        return [Landed(row.id, row.path,
                       dt.datetime.fromtimestamp(row.mtime, dt.UTC) if row.mtime else None,
                       row.duration) for row in rows]

    def link(self, city: str, name: str, recording_id: int) -> None:
        table = schema().live_sessions
        self._transaction(lambda conn: conn.execute(table.update().where(
            table.c.city == city, table.c.name == name).values(recording_id=recording_id)))

    # The live pages
    def sessions(self, city: str, limit: int = 50) -> list[dict[str, Any]]:
        """The city's kept sessions, newest first: name, times, source, and the recording it
        became (with whether that is captioned: then it replaces the session)."""
        live, transcripts = schema().live_sessions, schema().transcripts
        rows = self._all(
            live.select().with_only_columns(
                live.c.name, live.c.source, live.c.started_at, live.c.ended_at,
                live.c.last_word_at, live.c.recording_id,
                transcripts.c.recording_id.label("captioned"))
            .select_from(live.outerjoin(transcripts,
                                        transcripts.c.recording_id == live.c.recording_id))
            .where(live.c.city == city).order_by(live.c.started_at.desc()).limit(limit))
        return [{"name": r.name, "source": r.source, "started": r.started_at,
                 "ended": r.ended_at, "last_word": r.last_word_at,
                 "recording_id": r.recording_id, "replaced": r.captioned is not None}
                for r in rows]

    def transcript(self, city: str, name: str) -> list[Passage]:
        """A kept session's passages in order (empty when it is not kept)."""
        live, table = schema().live_sessions, schema().live_passages
        rows = self._all(
            table.select().join(live, live.c.id == table.c.session_id)
            .where(live.c.city == city, live.c.name == name).order_by(table.c.start_seconds))
        return [Passage(r.start_seconds, r.end_seconds, r.text,
                        tuple((float(s), str(w)) for s, w in json.loads(r.words))) for r in rows]
