"""Accuracy: the machine revision's word error rate against a person's words, per recording;
measured here for every recording already approved.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "caption_accuracy",
        sa.Column("recording_id", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("machine_revision", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("approved_by", sa.String(200)),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recording_id", "reference", name="pk_caption_accuracy"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE",
                                name="fk_caption_accuracy_recording_id_recordings"),
    )
    _approved(op.get_bind())


def _approved(bind: sa.engine.Connection) -> None:
    """Measure every recording approved before this release, as approving does now."""
    from archivist.domain import transcript_json
    from archivist.domain.accuracy.wer import word_errors

    approved = bind.execute(sa.text(
        "SELECT recording_id, approved_revision, approved_by FROM reviews "
        "WHERE state = 'approved' AND approved_revision IS NOT NULL")).fetchall()
    table = sa.table("caption_accuracy", *(sa.column(c) for c in (
        "recording_id", "reference", "source", "machine_revision", "errors", "words",
        "approved_by", "measured_at")))
    # SQLite stores times without a zone (tables.py's UtcDateTime): the UTC wall time.
    at = datetime.now(UTC)
    at = at.replace(tzinfo=None) if bind.dialect.name == "sqlite" else at
    for recording_id, number, by in approved:
        rows = bind.execute(sa.text(
            "SELECT revision, author, body FROM transcript_revisions WHERE recording_id = :r "
            "AND revision <= :n ORDER BY revision"), {"r": recording_id, "n": number}).fetchall()
        bodies = {n: body for n, _, body in rows}
        machine = max((n for n, author, _ in rows if author == "machine"), default=None)
        if machine is None or number not in bodies:
            continue
        errors = word_errors(transcript_json.loads(bodies[number]).text,
                             transcript_json.loads(bodies[machine]).text)
        bind.execute(table.insert().values(
            recording_id=recording_id, reference="approved", source=f"revision {number}",
            machine_revision=machine, errors=errors.errors, words=errors.words,
            approved_by=by, measured_at=at))
