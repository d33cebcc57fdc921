"""The review tables: transcript revisions, each recording's review state, the audit log and
learned vocabulary (migration 0006), and the word error rates measured against a person's
words (migration 0007). Defined inside `tables.schema()`, on its metadata."""

from __future__ import annotations

from typing import Any


def define(metadata: Any, utc: Any) -> dict[str, Any]:
    """The review tables on `metadata`, by name."""
    from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

    revisions = Table(
        "transcript_revisions", metadata,
        # Every version of a recording's transcript; the highest number is current.
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
        Column("revision", Integer, primary_key=True, autoincrement=False),
        Column("author", String(200), nullable=False),    # machine, staff:x, token:x, cli:x
        Column("created_at", utc, nullable=False),
        Column("note", Text, nullable=False, default=""),
        Column("restored_from", Integer),
        Column("words", Integer, nullable=False, default=0),
        Column("body", Text, nullable=False),              # transcript_json
    )
    reviews = Table(
        "reviews", metadata,
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
        Column("revision", Integer, nullable=False),       # the current revision
        Column("state", String(16), nullable=False, index=True),
        Column("approved_by", String(200)),
        Column("approved_at", utc),
        Column("approved_revision", Integer),
        # Steps of applying the current revision still to do (JSON list), and why.
        Column("pending", Text, nullable=False, default="[]"),
        Column("problems", Text, nullable=False, default="[]"),
        Column("updated_at", utc, nullable=False),
    )
    audit = Table(
        "audit_log", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", utc, nullable=False, index=True),
        Column("actor", String(200), nullable=False, index=True),
        Column("action", String(64), nullable=False, index=True),
        Column("target", String(200), nullable=False, default="", index=True),
        Column("detail", Text, nullable=False, default="{}"),   # JSON, never a secret
        Column("address", String(64)),
    )
    vocabulary = Table(
        "vocabulary", metadata,
        # Names and terms staff taught a city (its configured ones stay in config.yml).
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("city", String(100), nullable=False),
        Column("term", String(200), nullable=False),
        Column("folded", String(200), nullable=False),    # lower case: one spelling a city
        Column("added_by", String(200), nullable=False),
        Column("added_at", utc, nullable=False),
        Index("uq_vocabulary_city_folded", "city", "folded", unique=True),
    )
    accuracy = Table(
        "caption_accuracy", metadata,
        # The machine revision's word errors against a person's words, one row per reference.
        Column("recording_id", Integer,
               ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True),
        Column("reference", String(16), primary_key=True),   # approved | human
        Column("source", String(300), nullable=False),       # "revision 3", a file's name
        Column("machine_revision", Integer, nullable=False),
        Column("errors", Integer, nullable=False),
        Column("words", Integer, nullable=False),
        Column("approved_by", String(200)),
        Column("measured_at", utc, nullable=False),
    )
    return {"transcript_revisions": revisions, "reviews": reviews, "audit_log": audit,
            "vocabulary": vocabulary, "caption_accuracy": accuracy}
