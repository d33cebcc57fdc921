"""The unattended pipeline: jobs know their file, city, priority, attempts and worker;
files a scan has hashed; at most one active job per recording.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVE = "state IN ('queued', 'running')"


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime", sa.Float, nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("path", name="pk_files"),
    )
    with op.batch_alter_table("jobs") as jobs:
        jobs.add_column(sa.Column("path", sa.Text))
        jobs.add_column(sa.Column("city", sa.String(100), nullable=False, server_default=""))
        jobs.add_column(sa.Column("priority", sa.Integer, nullable=False, server_default="5"))
        jobs.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        jobs.add_column(sa.Column("worker", sa.String(200)))
        jobs.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
        jobs.add_column(sa.Column("retry_at", sa.DateTime(timezone=True)))
    # Jobs from before this revision captioned their recording's first path.
    op.execute("UPDATE jobs SET path = (SELECT path FROM recordings "
               "WHERE recordings.id = jobs.recording_id), "
               "city = (SELECT city FROM recordings WHERE recordings.id = jobs.recording_id)")
    # The old code could leave several jobs of one recording active (and some "running" for
    # ever after a crash): keep the newest active one, fail the rest so the index can hold.
    op.execute("UPDATE jobs SET state = 'failed', error = 'superseded by a newer job' "
               f"WHERE {ACTIVE} AND id < (SELECT MAX(j.id) FROM jobs j "
               "WHERE j.recording_id = jobs.recording_id AND j.state IN ('queued', 'running'))")
    op.create_index("ix_jobs_queue", "jobs", ["state", "priority", "id"])
    op.create_index("uq_jobs_active_recording", "jobs", ["recording_id"], unique=True,
                    postgresql_where=sa.text(ACTIVE), sqlite_where=sa.text(ACTIVE))
