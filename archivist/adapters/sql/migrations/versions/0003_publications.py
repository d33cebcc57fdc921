"""Publications: what publishing each recording to Cablecast did, and the show staff chose.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("recording_id", sa.Integer, nullable=False),
        sa.Column("media", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("show_id", sa.Integer),
        sa.Column("chosen_show_id", sa.Integer),
        sa.Column("link_reason", sa.Text, nullable=False),
        sa.Column("vod_id", sa.Integer),
        sa.Column("sidecar", sa.String(16), nullable=False),
        sa.Column("sidecar_ref", sa.Text, nullable=False),
        sa.Column("chapters", sa.Text, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("recording_id", name="pk_publications"),
        sa.ForeignKeyConstraint(["recording_id"], ["recordings.id"], ondelete="CASCADE",
                                name="fk_publications_recording_id_recordings"),
    )
    op.create_index("ix_publications_state", "publications", ["state"])
