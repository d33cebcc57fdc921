"""Real databases for adapter tests, built by the real engine builder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from archivist.providers import database, policies

POSTGRES_URL = os.environ.get(
    "ARCHIVIST_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
CONNECT_TIMEOUT = 2.0  # libpq's smallest useful connect_timeout


def build_engine(url: str, data_dir: Path, connect_timeout: float = CONNECT_TIMEOUT) -> Any:
    """An engine as the container builds it (empty url: SQLite in the data dir)."""
    return database.engine(url=url, data_dir=str(data_dir), connect_timeout=connect_timeout,
                           statement_timeout=10, pool_size=2)


def quick_retry() -> policies.RetryPolicy:
    """The database policy as configured, with short waits so failing tests stay fast."""
    return policies.policy("database", {"attempts": 2, "backoff": 0.05, "max_backoff": 0.1,
                                        "deadline": 5.0}, database.is_transient)


def use_schema(engine: Any, name: str) -> None:
    """Point every new connection of `engine` at schema `name`."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect", insert=True)
    def _search_path(dbapi_conn: Any, _record: Any) -> None:
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True   # SET outside a transaction, so it outlives it
        with dbapi_conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{name}"')
        dbapi_conn.autocommit = autocommit


def empty(eng: Any) -> None:
    """Drop every table in the engine's schema (the migrations' bookkeeping included)."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(eng)
    metadata.drop_all(eng)


def migrated_sqlite(template: Path, data_dir: Path) -> None:
    """Put a copy of the migrated `template` database where an engine on `data_dir` looks for it.

    Copying a file is a thousandth of what migrating a new one costs, and gives the same tables.
    """
    import shutil

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, data_dir / template.name)


def clear_rows(eng: Any, tables: set[str]) -> None:
    """Leave `eng`'s migrated PostgreSQL schema as a new one: every row gone, counters restarted.

    Truncating is a fraction of dropping the tables and migrating again; a test that changed the
    tables themselves (`tables` are a migrated schema's) or its revision gets them rebuilt.
    """
    from sqlalchemy import inspect, text

    from archivist.adapters.sql import migrate
    from archivist.adapters.sql.tables import REVISION

    with eng.connect() as conn:
        at, names = migrate.revision(conn), set(inspect(conn).get_table_names())
    if at != REVISION or names != tables:
        empty(eng)
        migrate.upgrade(eng)
        return
    rows = ", ".join(f'"{n}"' for n in sorted(tables - {"alembic_version"}))
    with eng.begin() as conn:
        conn.execute(text(f"TRUNCATE {rows} RESTART IDENTITY CASCADE"))
