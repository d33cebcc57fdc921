"""Review: transcript revisions, each recording's review state, the audit log and learned
vocabulary. Every stored transcript becomes its recording's revision 1, by the machine.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "transcript_revisions",
        sa.Column("recording_id", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("restored_from", sa.Integer),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("recording_id", "revision", name="pk_transcript_revisions"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE",
                                name="fk_transcript_revisions_recording_id_recordings"),
    )
    op.create_table(
        "reviews",
        sa.Column("recording_id", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("approved_at", UTC),
        sa.Column("approved_revision", sa.Integer),
        sa.Column("pending", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("recording_id", name="pk_reviews"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE",
                                name="fk_reviews_recording_id_recordings"),
    )
    op.create_index("ix_reviews_state", "reviews", ["state"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("address", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for column in ("at", "actor", "action", "target"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])
    op.create_table(
        "vocabulary",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("folded", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vocabulary"),
    )
    op.create_index("uq_vocabulary_city_folded", "vocabulary", ["city", "folded"], unique=True)
    _machine_revisions(op.get_bind())


def _machine_revisions(bind: sa.engine.Connection) -> None:
    """Each stored transcript becomes revision 1 (the machine's), in state `machine`."""
    rows = bind.execute(sa.text(
        "SELECT recording_id, body, text, created_at FROM transcripts")).fetchall()
    revisions = sa.table("transcript_revisions", *(sa.column(c) for c in (
        "recording_id", "revision", "author", "created_at", "note", "restored_from", "words",
        "body")))
    reviews = sa.table("reviews", *(sa.column(c) for c in (
        "recording_id", "revision", "state", "pending", "problems", "updated_at")))
    for recording_id, body, text, created_at in rows:
        bind.execute(revisions.insert().values(
            recording_id=recording_id, revision=1, author="machine", created_at=created_at,
            note="", restored_from=None, words=len((text or "").split()), body=body))
        bind.execute(reviews.insert().values(
            recording_id=recording_id, revision=1, state="machine",
            pending=json.dumps([]), problems=json.dumps([]), updated_at=created_at))
