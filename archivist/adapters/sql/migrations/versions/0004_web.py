"""The web app: full-text search over transcripts (passages with their times), API tokens
and staff accounts. Transcripts already stored are indexed here.

PostgreSQL searches a generated tsvector column through a GIN index; SQLite an FTS5 table
that triggers keep in step with `passages`.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)
LIVE = "revoked_at IS NULL"

POSTGRESQL_SEARCH = (
    "ALTER TABLE passages ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX ix_passages_tsv ON passages USING gin (tsv)",
)
SQLITE_SEARCH = (
    # External content: the words are kept once, in `passages`; FTS5 keeps only its index.
    "CREATE VIRTUAL TABLE passages_fts USING fts5(text, content='passages', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
    "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN "
    "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
)


def upgrade() -> None:
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recording_id", sa.Integer, nullable=False),
        sa.Column("start_seconds", sa.Float, nullable=False),
        sa.Column("end_seconds", sa.Float, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_passages"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE",
                                name="fk_passages_recording_id_recordings"),
    )
    op.create_index("ix_passages_recording_id", "passages", ["recording_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("last_used_at", UTC),
        sa.Column("revoked_at", UTC),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("uq_api_tokens_live_name", "api_tokens", ["name"], unique=True,
                    postgresql_where=sa.text(LIVE), sqlite_where=sa.text(LIVE))
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("name", name="uq_staff_name"),
    )
    bind = op.get_bind()
    for statement in POSTGRESQL_SEARCH if bind.dialect.name == "postgresql" else SQLITE_SEARCH:
        op.execute(statement)
    _index_stored_transcripts(bind)


def _index_stored_transcripts(bind: sa.engine.Connection) -> None:
    from archivist.adapters.sql.search import put_passages
    from archivist.domain import transcript_json

    rows = bind.execute(sa.text("SELECT recording_id, body FROM transcripts")).fetchall()
    for recording_id, body in rows:
        put_passages(bind, recording_id, transcript_json.loads(body))
