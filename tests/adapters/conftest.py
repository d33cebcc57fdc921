"""Fixtures for adapter tests: real databases, built by the real engine builder.

Every database test runs twice: on an SQLite file in a temp dir (the embedded default) and on
the real PostgreSQL named by $ARCHIVIST_TEST_POSTGRES_URL, inside a schema of its own for
this session so that concurrent runs never see each other's rows.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.providers import policies
from tests.adapters.databases import CONNECT_TIMEOUT, POSTGRES_URL, build_engine, empty, quick_retry, use_schema


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh PostgreSQL schema for this test session, dropped at its end."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    name = f"archivist_test_{uuid.uuid4().hex[:10]}"
    admin = build_engine(POSTGRES_URL, tmp_path_factory.mktemp("pg"))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        # The suite promises real PostgreSQL: a missing server is a failure, not a skip.
        pytest.fail(f"PostgreSQL not reachable at {POSTGRES_URL} (scripts/services starts it): {exc.orig}")
    yield name
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
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
