"""The Repository port on SQLAlchemy Core (SQLite or PostgreSQL), and the database probe.

SQLAlchemy is imported inside the methods, on first use: the web process imports this module
on its hot path and must not pay for SQLAlchemy until it touches the database.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from archivist.adapters.sql_tables import job_from_row, job_values, recording_from_row, schema
from archivist.domain import transcript_json
from archivist.domain.errors import GatewayUnavailable, NotFound
from archivist.domain.health import ProbeResult, Status
from archivist.domain.models import Job, JobState, Recording, Transcript

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine, Row

T = TypeVar("T")
# A retry policy: calls the function, retrying transient failures within bounds.
Retry = Callable[[Callable[[], Any]], Any]


class SqlRepository:
    """Recordings, jobs and transcripts in the database; each call is one transaction.

    The tables are created on first use, never when the repository is built.
    """

    def __init__(self, engine: Engine, retry: Retry) -> None:
        self._engine = engine
        self._retry = retry
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    # Recordings

    def add_recording(self, recording: Recording) -> Recording:
        """Store a recording and return it with its id.

        Content already stored (same hash) is not stored twice: the stored recording is returned.
        """
        from sqlalchemy.exc import IntegrityError

        try:
            return self._transaction(lambda conn: _add_recording(conn, recording))
        except IntegrityError:
            # Another process stored the same content between our look-up and our insert.
            stored = self.recording_by_hash(recording.content_hash)
            if stored is None:
                raise
            return stored

    def recording(self, recording_id: int) -> Recording | None:
        """The recording with this id, if any."""
        table = schema().recordings
        row = self._first(table.select().where(table.c.id == recording_id))
        return recording_from_row(row) if row else None

    def recording_by_hash(self, content_hash: str) -> Recording | None:
        """The recording with this content, wherever it is mounted, if any."""
        table = schema().recordings
        row = self._first(table.select().where(table.c.content_hash == content_hash))
        return recording_from_row(row) if row else None

    # Jobs

    def add_job(self, job: Job) -> Job:
        """Store a new job and return it with its id; raise NotFound for an unknown recording."""
        from sqlalchemy.exc import IntegrityError

        values = {**job_values(job), "created_at": job.created_at or _now()}
        table = schema().jobs
        try:
            job_id = self._transaction(
                lambda conn: conn.execute(table.insert().values(values)).inserted_primary_key[0])
        except IntegrityError as exc:
            raise NotFound(f"recording {job.recording_id} does not exist") from exc
        return replace(job, id=job_id, created_at=values["created_at"],
                       notes=list(job.notes), outputs=list(job.outputs))

    def job(self, job_id: int) -> Job | None:
        """The job with this id, if any."""
        table = schema().jobs
        row = self._first(table.select().where(table.c.id == job_id))
        return job_from_row(row) if row else None

    def save_job(self, job: Job) -> None:
        """Store a job's state, progress, notes, outputs and times; raise NotFound if it is gone."""
        if job.id is None:
            raise ValueError("a job needs an id to be saved: add it first")
        table = schema().jobs
        # created_at is when the job was queued; it never changes.
        statement = table.update().where(table.c.id == job.id).values(job_values(job))
        if self._transaction(lambda conn: conn.execute(statement).rowcount) == 0:
            raise NotFound(f"job {job.id} does not exist")

    def jobs(self, state: JobState | None = None, limit: int = 50) -> list[Job]:
        """Jobs, newest first, optionally only those in one state."""
        table = schema().jobs
        query = table.select().order_by(table.c.id.desc()).limit(limit)
        if state is not None:
            query = query.where(table.c.state == str(state))
        return [job_from_row(row) for row in self._all(query)]

    def latest_job(self, recording_id: int) -> Job | None:
        """The newest job for a recording, if it ever had one."""
        table = schema().jobs
        row = self._first(table.select().where(table.c.recording_id == recording_id)
                          .order_by(table.c.id.desc()).limit(1))
        return job_from_row(row) if row else None

    # Transcripts

    def save_transcript(self, recording_id: int, job_id: int, transcript: Transcript) -> None:
        """Make this the recording's current transcript, replacing any earlier one."""
        from sqlalchemy.exc import IntegrityError

        values = {"job_id": job_id, "model": transcript.model, "language": transcript.language,
                  "duration": transcript.duration, "text": transcript.text,
                  "body": transcript_json.dumps(transcript), "created_at": _now()}
        try:
            self._transaction(lambda conn: _replace_transcript(conn, recording_id, values))
        except IntegrityError as exc:
            raise NotFound(f"recording {recording_id} or job {job_id} does not exist") from exc

    def transcript(self, recording_id: int) -> Transcript | None:
        """The recording's current transcript, if it has one."""
        table = schema().transcripts
        row = self._first(table.select().with_only_columns(table.c.body)
                          .where(table.c.recording_id == recording_id))
        return transcript_json.loads(row.body) if row else None

    # Plumbing

    def _first(self, query: Any) -> Row[Any] | None:
        return self._transaction(lambda conn: conn.execute(query).first())

    def _all(self, query: Any) -> list[Row[Any]]:
        return self._transaction(lambda conn: list(conn.execute(query)))

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction under the retry policy, the schema created first."""
        self._ensure_schema()

        def attempt() -> T:
            with self._engine.begin() as conn:
                return work(conn)
        # Most transient failures happen before the commit. If a commit's acknowledgement is
        # lost, the retry repeats it: harmless for recordings (unique hash) and transcripts
        # (one per recording); a job could be added twice.
        return self._guarded(attempt)

    def _ensure_schema(self) -> None:
        """Create the tables the first time the database is used (idempotent, thread-safe)."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if not self._schema_ready:
                self._guarded(lambda: _create_tables(self._engine))
                self._schema_ready = True

    def _guarded(self, fn: Callable[[], T]) -> T:
        """Call `fn` under the retry policy; a database out of reach becomes GatewayUnavailable."""
        try:
            result: T = self._retry(fn)
        except Exception as exc:
            if not _unreachable(exc):
                raise
            reason = describe(exc, secret=self._engine.url.password)
            raise GatewayUnavailable("database", reason) from exc
        return result


class DatabaseProbe:
    """Health of the database: one `SELECT 1`, no retry."""

    name = "database"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def check(self) -> ProbeResult:
        """Ok with where the database is, or down with why; never raises."""
        started = time.monotonic()
        try:
            from sqlalchemy import text

            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return ProbeResult(Status.OK, where(self._engine.url))
        except Exception as exc:  # a probe reports; it never raises
            seconds = time.monotonic() - started
            return ProbeResult(Status.DOWN,
                               describe(exc, seconds, secret=self._engine.url.password))


def where(url: URL) -> str:
    """Dialect and place of a database, never credentials: 'postgresql db:5432/archivist'."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        in_memory = url.database in (None, "", ":memory:")
        return "sqlite in memory" if in_memory else f"sqlite {url.database}"
    port = f":{url.port}" if url.port else ""
    return f"{backend} {url.host or 'localhost'}{port}/{url.database or ''}"


# What a database driver says, and what a person should read instead.
_PLAIN_REASONS = (
    ("connection refused", "connection refused"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("password authentication failed", "authentication failed"),
    ("no route to host", "no route to host"),
    ("database is locked", "database is locked"),
    ("statement timeout", "query took too long (statement timeout)"),
    ("pool limit", "no free connection in the pool"),
)
_TIMEOUTS = ("timeout expired", "timed out")
# psycopg2 says where it tried before why it failed; the probe detail already says where.
_PREFIX = re.compile(r'^(?:(?:connection to server at .*?, port \d+ failed:|FATAL:)\s*)+',
                     re.IGNORECASE)


def describe(exc: BaseException, seconds: float | None = None, secret: str | None = None) -> str:
    """One line saying why the database could not be used, never showing the password."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    lowered = message.lower()
    reason = next((plain for said, plain in _PLAIN_REASONS if said in lowered), None)
    if reason is None and any(t in lowered for t in _TIMEOUTS):
        reason = f"timeout after {seconds:.0f}s" if seconds is not None else "timeout"
    if reason is None:
        first = message.splitlines()[0] if message else type(exc).__name__
        reason = _PREFIX.sub("", first).strip()[:200] or type(exc).__name__
    return reason.replace(secret, "***") if secret else reason


def _unreachable(exc: BaseException) -> bool:
    """Failures that mean the database cannot be used now, as opposed to a bad request."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return isinstance(exc, (sa_exc.TimeoutError, TimeoutError, ConnectionError))


def _create_tables(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError, ProgrammingError

    metadata = schema().metadata
    try:
        metadata.create_all(engine)
    except (IntegrityError, ProgrammingError):
        # Another process created the tables at the same moment; now they exist, so check again.
        metadata.create_all(engine)


def _add_recording(conn: Connection, recording: Recording) -> Recording:
    table = schema().recordings
    row = conn.execute(table.select().where(
        table.c.content_hash == recording.content_hash)).first()
    if row:
        return recording_from_row(row)
    created_at = recording.created_at or _now()
    result = conn.execute(table.insert().values(
        path=str(recording.path), content_hash=recording.content_hash, size=recording.size,
        city=recording.city, duration=recording.duration, created_at=created_at))
    return replace(recording, id=result.inserted_primary_key[0], created_at=created_at)


def _replace_transcript(conn: Connection, recording_id: int, values: dict[str, Any]) -> None:
    table = schema().transcripts
    updated = conn.execute(
        table.update().where(table.c.recording_id == recording_id).values(values)).rowcount
    if updated == 0:
        conn.execute(table.insert().values(recording_id=recording_id, **values))


def _now() -> datetime:
    return datetime.now(UTC)
