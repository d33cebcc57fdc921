"""The archive's change counter: one row, counted up by every write that changes what the
archive shows of a recording (a transcript stored or replaced, a job queued, failing or leaving
failed), so the archive's mark is one key lookup instead of counts over growing tables.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_changes",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("changes", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_changes"),
    )
    # No row yet: the first change makes it (catalogue.count_change), read as 0 until then.


def downgrade() -> None:
    op.drop_table("catalogue_changes")
