"""The live tables: each live session's transcript, cut into passages for search, and the
recording the session became (migration 0008). Defined inside `tables.schema()`."""

from __future__ import annotations

from typing import Any


def define(metadata: Any, utc: Any) -> dict[str, Any]:
    """The live tables on `metadata`, by name."""
    from sqlalchemy import (
        BigInteger,
        Column,
        Float,
        ForeignKey,
        Integer,
        String,
        Table,
        Text,
        UniqueConstraint,
    )

    sessions = Table(
        "live_sessions", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("city", String(100), nullable=False),
        Column("name", String(32), nullable=False),   # its UTC start, as its folder is named
        Column("source", Text, nullable=False),
        Column("started_at", utc, nullable=False),
        Column("last_word_at", utc),
        Column("ended_at", utc),
        # Bytes of the session's transcript.jsonl whose words are in closed passages.
        Column("kept_offset", BigInteger, nullable=False, default=0),
        # The recording of this meeting once it landed; once captioned, it replaces these.
        Column("recording_id", Integer, ForeignKey("recordings.id", ondelete="SET NULL"),
               index=True),
        UniqueConstraint("city", "name"),
    )
    passages = Table(
        "live_passages", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("session_id", Integer, ForeignKey("live_sessions.id", ondelete="CASCADE"),
               nullable=False, index=True),
        Column("start_seconds", Float, nullable=False),   # from the session's start
        Column("end_seconds", Float, nullable=False),
        Column("text", Text, nullable=False),
        Column("words", Text, nullable=False),   # JSON [[start, word], ...]
    )
    return {"live_sessions": sessions, "live_passages": passages}
