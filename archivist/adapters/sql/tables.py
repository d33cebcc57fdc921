"""The database schema: recordings, files, jobs and transcripts as SQLAlchemy Core tables,
and how a row becomes a Recording or a Job and back.

The tables are defined on the first call to `schema()`, so importing this module never imports
SQLAlchemy. They hold no connection and are shared by every engine in the process; the same
definitions work on SQLite and PostgreSQL. They describe the schema at REVISION; the
migrations in migrations/versions/ build it, and a test checks the two agree.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.domain.models import Job, JobState, KnownFile, Recording

if TYPE_CHECKING:
    from sqlalchemy import MetaData, Row, Table

# The newest migration; a database at another revision is migrated or refused.
REVISION = "0010"
# A recording has at most one job in these states (a partial unique index says so).
ACTIVE_STATES = (str(JobState.QUEUED), str(JobState.RUNNING))

# Stable constraint names, so a later migration tool can find what it has to alter.
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@dataclass(frozen=True, slots=True)
class Schema:
    """The tables Archivist keeps, and the metadata that creates them."""

    metadata: MetaData
    recordings: Table
    files: Table
    jobs: Table
    transcripts: Table
    publications: Table
    passages: Table
    api_tokens: Table
    staff: Table
    leases: Table
    catalogue_changes: Table
    transcript_revisions: Table
    reviews: Table
    audit_log: Table
    vocabulary: Table
    caption_accuracy: Table
    live_sessions: Table
    live_passages: Table


# Search structures one dialect has and the tables cannot say: PostgreSQL's generated tsvector
# column and its GIN index, SQLite's FTS5 table (and the shadow tables FTS5 keeps).
SEARCH_COLUMN = "tsv"
SEARCH_INDEX = "ix_passages_tsv"
FTS_TABLE = "passages_fts"
LIVE_FTS_TABLE = "live_passages_fts"   # the same for live sessions' passages (migration 0008)


def dialect_only(name: str | None) -> bool:
    """True for a search structure that lives outside the tables below (see migration 0004)."""
    if not name:
        return False
    return (name in (SEARCH_COLUMN, SEARCH_INDEX, "ix_live_passages_tsv")
            or name.startswith((FTS_TABLE, LIVE_FTS_TABLE)))


_lock = threading.Lock()
_schema: Schema | None = None


def schema() -> Schema:
    """The tables, defined once per process on first call."""
    global _schema
    with _lock:
        if _schema is None:
            _schema = _define()
        return _schema


def _define() -> Schema:
    from sqlalchemy import (
        BigInteger,
        Column,
        Float,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        text,
    )

    utc = _utc_datetime_type()
    metadata = MetaData(naming_convention=_NAMING)
    recordings = Table(
        "recordings", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("path", Text, nullable=False),
        # The same content mounted under another path is the same recording.
        Column("content_hash", String(128), nullable=False, unique=True),
        Column("size", BigInteger, nullable=False),
        Column("city", String(100), nullable=False, default=""),
        Column("duration", Float),
        Column("created_at", utc, nullable=False),
    )
    files = Table(
        "files", metadata,
        # What a scan saw at a path: an unchanged size and mtime means the same content.
        Column("path", Text, primary_key=True),
        Column("size", BigInteger, nullable=False),
        Column("mtime", Float, nullable=False),
        Column("content_hash", String(128), nullable=False),
    )
    active = "state IN ('queued', 'running')"
    jobs = Table(
        "jobs", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False),
        # Plain text rather than a database enum: a new state needs no migration.
        Column("state", String(16), nullable=False, index=True),
        Column("progress", Float, nullable=False, default=0.0),
        Column("eta_seconds", Float),
        Column("error", Text),
        Column("notes", Text, nullable=False, default="[]"),     # JSON list of strings
        Column("outputs", Text, nullable=False, default="[]"),   # JSON list of sidecar paths
        Column("created_at", utc, nullable=False),
        Column("started_at", utc),
        Column("finished_at", utc),
        # The file this job captions (a copy of known content is captioned where it lies).
        Column("path", Text),
        Column("city", String(100), nullable=False, server_default=""),
        Column("priority", Integer, nullable=False, server_default="5"),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("worker", String(200)),
        Column("heartbeat_at", utc),
        Column("retry_at", utc),
        # The Whisper model staff chose for this job (migration 0009); "": its city's.
        Column("model", String(200), nullable=False, server_default=""),
        Index("ix_jobs_recording_id_id", "recording_id", "id"),  # latest job of a recording
        Index("ix_jobs_queue", "state", "priority", "id"),       # the next job to run
        Index("uq_jobs_active_recording", "recording_id", unique=True,
              postgresql_where=text(active), sqlite_where=text(active)),
    )
    transcripts = Table(
        "transcripts", metadata,
        # One current transcript per recording: a re-run replaces it.
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
        Column("job_id", Integer, ForeignKey("jobs.id"), nullable=False),
        Column("model", String(200), nullable=False, default=""),
        Column("language", String(16), nullable=False, default=""),
        Column("duration", Float, nullable=False),
        Column("text", Text, nullable=False),   # the words alone, for search
        Column("body", Text, nullable=False),   # transcript_json: segments, words and times
        Column("created_at", utc, nullable=False),
    )
    publications = Table(
        "publications", metadata,
        # The latest publication of a recording to Cablecast; publishing again replaces it.
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
        Column("media", Text, nullable=False),
        Column("state", String(16), nullable=False, index=True),
        Column("show_id", Integer),
        Column("chosen_show_id", Integer),       # a show staff chose; kept for later publishes
        Column("link_reason", Text, nullable=False),
        Column("vod_id", Integer),
        Column("sidecar", String(16), nullable=False),
        Column("sidecar_ref", Text, nullable=False),
        Column("chapters", Text, nullable=False),   # JSON [{id, offset, title, body}]
        Column("error", Text),
        Column("notes", Text, nullable=False),      # JSON list of strings
        Column("published_at", utc, nullable=False),
    )
    passages = Table(
        "passages", metadata,
        # A transcript cut into caption-sized passages (domain/search/passages.py), for full-text search.
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("start_seconds", Float, nullable=False),
        Column("end_seconds", Float, nullable=False),
        Column("text", Text, nullable=False),
        Column("words", Text, nullable=False),   # JSON [[start, word], ...]: where a hit is said
    )
    live = text("revoked_at IS NULL")
    api_tokens = Table(
        "api_tokens", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(64), nullable=False),
        Column("token_hash", String(64), nullable=False, unique=True),   # SHA-256, hex
        Column("created_at", utc, nullable=False),
        Column("last_used_at", utc),
        Column("revoked_at", utc),
        # One live token per name, so `archivist token revoke NAME` means one token.
        Index("uq_api_tokens_live_name", "name", unique=True,
              postgresql_where=live, sqlite_where=live),
    )
    staff = Table(
        "staff", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(64), nullable=False, unique=True),
        Column("password_hash", Text, nullable=False),   # argon2id, salted
        Column("created_at", utc, nullable=False),
        # Moved on by logout and a new password: sessions carrying an older one are refused.
        Column("session_generation", Integer, nullable=False, server_default="0"),
    )
    leases = Table(
        "leases", metadata,
        Column("name", String(200), primary_key=True),   # what is held, e.g. publish:42
        Column("holder", String(200), nullable=False),
        Column("expires_at", utc, nullable=False),
    )
    catalogue_changes = Table(
        "catalogue_changes", metadata,
        # One row (id 1, made by the first change), counted up in the same transaction by every
        # write that changes what the archive shows of a recording (migration 0010): the
        # archive's mark is one key lookup (catalogue.py).
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("changes", BigInteger, nullable=False),
    )
    from archivist.adapters.sql import live_tables, review_tables

    review = review_tables.define(metadata, utc)
    sessions = live_tables.define(metadata, utc)
    return Schema(metadata, recordings, files, jobs, transcripts, publications, passages,
                  api_tokens, staff, leases, catalogue_changes, **review, **sessions)


def recording_from_row(row: Row[Any]) -> Recording:
    """The recording a `recordings` row describes."""
    return Recording(path=Path(row.path), content_hash=row.content_hash, size=row.size,
                     city=row.city, id=row.id, duration=row.duration, created_at=row.created_at)


def known_file_from_row(row: Row[Any]) -> KnownFile:
    return KnownFile(Path(row.path), row.size, row.mtime, row.content_hash)


def job_from_row(row: Row[Any]) -> Job:
    """The job a `jobs` row describes; notes and outputs are kept as JSON lists."""
    return Job(recording_id=row.recording_id, path=Path(row.path) if row.path else None,
               city=row.city, state=JobState(row.state), id=row.id, priority=row.priority,
               attempts=row.attempts, progress=row.progress, eta_seconds=row.eta_seconds,
               error=row.error, notes=json.loads(row.notes), outputs=json.loads(row.outputs),
               worker=row.worker, created_at=row.created_at, started_at=row.started_at,
               finished_at=row.finished_at, heartbeat_at=row.heartbeat_at,
               retry_at=row.retry_at, model=row.model)


def job_values(job: Job) -> dict[str, Any]:
    """A new job's columns (all but id)."""
    return {"recording_id": job.recording_id, "path": str(job.path) if job.path else None,
            "city": job.city, "state": str(job.state), "priority": int(job.priority),
            "attempts": job.attempts, "progress": job.progress, "eta_seconds": job.eta_seconds,
            "error": job.error, "notes": dumps_list(job.notes),
            "outputs": dumps_list(job.outputs), "worker": job.worker,
            "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at, "heartbeat_at": job.heartbeat_at,
            "retry_at": job.retry_at, "model": job.model}


def dumps_list(items: Any) -> str:
    return json.dumps([str(i) for i in items], ensure_ascii=False)


def _utc_datetime_type() -> Any:
    from sqlalchemy.types import DateTime, TypeDecorator

    class UtcDateTime(TypeDecorator[datetime]):
        """A timestamp that is always timezone-aware UTC, whatever the backend stores."""

        impl = DateTime(timezone=True)
        cache_ok = True

        def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
            if value is None:
                return None
            if value.tzinfo is None:
                # A naive time is ambiguous (local? UTC?); refuse it rather than guess.
                raise ValueError(f"timestamp without a time zone: {value!r}")
            value = value.astimezone(UTC)
            # SQLite has no time zones: store the UTC wall time, and put the zone back on reading.
            return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

        def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
            if value is None:
                return None
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    return UtcDateTime()
