"""Live captions afterwards: each live session's transcript in the database, searchable while it
runs, and the recording it became once that lands.

`live_passages` are a session's words cut as a recording's are (domain/search/passages.py),
searched the same way: PostgreSQL through a generated tsvector and a GIN index, SQLite through
an FTS5 table kept in step by triggers.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)

POSTGRESQL_SEARCH = (
    "ALTER TABLE live_passages ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX ix_live_passages_tsv ON live_passages USING gin (tsv)",
)
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE live_passages_fts USING fts5(text, content='live_passages', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER live_passages_fts_insert AFTER INSERT ON live_passages BEGIN "
    "INSERT INTO live_passages_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER live_passages_fts_delete AFTER DELETE ON live_passages BEGIN "
    "INSERT INTO live_passages_fts(live_passages_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
)


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("last_word_at", UTC),
        sa.Column("ended_at", UTC),
        sa.Column("kept_offset", sa.BigInteger, nullable=False),
        sa.Column("recording_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_live_sessions"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="SET NULL",
                                name="fk_live_sessions_recording_id_recordings"),
        sa.UniqueConstraint("city", "name", name="uq_live_sessions_city"),
    )
    op.create_index("ix_live_sessions_recording_id", "live_sessions", ["recording_id"])
    op.create_table(
        "live_passages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("start_seconds", sa.Float, nullable=False),
        sa.Column("end_seconds", sa.Float, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_live_passages"),
        sa.ForeignKeyConstraint(["session_id"], ["live_sessions.id"], ondelete="CASCADE",
                                name="fk_live_passages_session_id_live_sessions"),
    )
    op.create_index("ix_live_passages_session_id", "live_passages", ["session_id"])
    bind = op.get_bind()
    for statement in POSTGRESQL_SEARCH if bind.dialect.name == "postgresql" else SQLITE_SEARCH:
        op.execute(statement)
