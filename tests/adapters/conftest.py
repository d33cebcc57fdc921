"""Fixtures for adapter tests: real databases, built by the real engine builder.

Every database test runs twice: on an SQLite file in a temp dir (the embedded default) and on
the real PostgreSQL named by $ARCHIVIST_TEST_POSTGRES_URL, inside a schema of its own for
this session so that concurrent runs never see each other's rows.

A test gets a migrated database with no rows (`engine`, `migrated_engine`): migrated once per
session, then copied (SQLite) or truncated after each test (PostgreSQL), because migrating anew
for every test was most of the suite's time. Tests of migrating itself take `empty_engine`.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.providers import policies
from tests.adapters.databases import (
    CONNECT_TIMEOUT,
    POSTGRES_URL,
    build_engine,
    clear_rows,
    empty,
    migrated_sqlite,
    quick_retry,
    use_schema,
)


@contextmanager
def _schema(tmp_path_factory: pytest.TempPathFactory, migrated: bool) -> Iterator[str]:
    """A fresh PostgreSQL schema (migrated if asked), dropped at the end."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from archivist.adapters.sql import migrate

    name = f"archivist_test_{uuid.uuid4().hex[:10]}"
    admin = build_engine(POSTGRES_URL, tmp_path_factory.mktemp("pg"))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        # The suite promises real PostgreSQL: a missing server is a failure, not a skip.
        pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL} (scripts/services starts it): {exc.orig}")
    if migrated:
        eng = build_engine(POSTGRES_URL, tmp_path_factory.mktemp("pg"))
        use_schema(eng, name)
        migrate.upgrade(eng)
        eng.dispose()
    yield name
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for this test session, dropped at its end."""
    with _schema(tmp_path_factory, migrated=False) as name:
        yield name


@dataclass(frozen=True)
class MigratedSchema:
    name: str
    tables: set[str]


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedSchema]:
    """A PostgreSQL schema migrated once for this session; tests leave it without rows."""
    from sqlalchemy import inspect

    with _schema(tmp_path_factory, migrated=True) as name:
        eng = build_engine(POSTGRES_URL, tmp_path_factory.mktemp("pg"))
        use_schema(eng, name)
        with eng.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        eng.dispose()
        yield MigratedSchema(name, tables)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated once for this session, copied for each test."""
    from archivist.adapters.sql import migrate

    folder = tmp_path_factory.mktemp("sqlite-template")
    eng = build_engine("", folder)
    migrate.upgrade(eng)
    eng.dispose()
    return folder / "archivist.db"


@pytest.fixture
def migrated_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Make engines on a migrated database with no rows: `make("sqlite" or "postgresql")`;
    `data_dir=` puts the SQLite file where a container configured with it looks."""
    built: list[tuple[Any, MigratedSchema | None]] = []

    def make(kind: str, data_dir: Path | None = None) -> Any:
        if kind == "sqlite":
            folder = data_dir or tmp_path
            migrated_sqlite(request.getfixturevalue("sqlite_template"), folder)
            built.append((build_engine("", folder), None))
        else:
            schema: MigratedSchema = request.getfixturevalue("migrated_postgres")
            eng = build_engine(POSTGRES_URL, tmp_path)
            use_schema(eng, schema.name)
            built.append((eng, schema))
        return built[-1][0]
    yield make
    for eng, schema in built:
        if schema is not None:
            clear_rows(eng, schema.tables)   # the next test starts with no rows again
        eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, migrated_engine: Callable[..., Any]) -> Any:
    """A real engine on a migrated database with no rows."""
    return migrated_engine(request.param)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A real engine on an empty database: the tables are not created yet."""
    if request.param == "sqlite":
        eng = build_engine("", tmp_path)
        yield eng
        eng.dispose()
        return
    name = request.getfixturevalue("postgres_schema")
    eng = build_engine(POSTGRES_URL, tmp_path)
    use_schema(eng, name)
    yield eng
    empty(eng)   # the next test starts from an empty schema again
    eng.dispose()


@pytest.fixture
def repository(engine: Any) -> SqlRepository:
    return SqlRepository(engine=engine, retry=quick_retry())


@pytest.fixture(name="quick_retry")
def quick_retry_fixture() -> policies.RetryPolicy:
    return quick_retry()


@pytest.fixture
def postgres_url() -> str:
    return POSTGRES_URL


@pytest.fixture
def connect_timeout() -> float:
    return CONNECT_TIMEOUT


@pytest.fixture
def make_engine(tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    """Build engines for any URL (e.g. one nobody listens on); all disposed afterwards."""
    built: list[Any] = []

    def make(url: str) -> Any:
        built.append(build_engine(url, tmp_path))
        return built[-1]
    yield make
    for eng in built:
        eng.dispose()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A local port that accepts connections and never says a word; yields the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        # The kernel completes the handshake for queued connections, so a client connects
        # and then waits for a greeting that never comes.
        listener.listen(16)
        yield listener.getsockname()[1]
