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
