"""Alembic's entry: runs the migrations on the connection the caller hands over.

Archivist runs Alembic from code (archivist/adapters/sql/migrate.py), never from an
alembic.ini, so there is no URL here: the connection arrives in `config.attributes`.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
