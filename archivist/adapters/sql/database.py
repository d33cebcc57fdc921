"""The database as every aggregate's module uses it: one transaction a call, under the retry
policy, the schema checked (or created) on first use; and what a driver's error means.

SQLAlchemy is imported inside the functions, on first use: the web process imports this
package on its hot path and must not pay for SQLAlchemy until it touches the database.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from archivist.adapters.sql import migrate
from archivist.domain.errors import GatewayUnavailable
from archivist.domain.policy import Retry

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine, Row

T = TypeVar("T")


class Database:
    """An engine and its retry policy; the schema is checked once, on first use."""

    def __init__(self, engine: Engine, retry: Retry) -> None:
        self._engine = engine
        self._retry = retry
        self._schema_ready = False

    def _first(self, query: Any) -> Row[Any] | None:
        return self._transaction(lambda conn: conn.execute(query).first())

    def _all(self, query: Any) -> list[Row[Any]]:
        return self._transaction(lambda conn: list(conn.execute(query)))

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction under the retry policy, the schema ready first.

        A commit whose acknowledgement is lost is repeated by the retry: every write here is
        written so that doing it twice is harmless (unique hashes, one active job per
        recording, compare-and-set state changes).
        """
        self._ensure_schema()

        def attempt() -> T:
            with self._engine.begin() as conn:
                return work(conn)
        return self._guarded(attempt)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with _SCHEMA_LOCK:
            if not self._schema_ready:
                self._guarded(lambda: migrate.check(self._engine))
                self._schema_ready = True

    def _guarded(self, fn: Callable[[], T]) -> T:
        return guarded(self._engine, self._retry, fn)


def guarded(engine: Engine, retry: Retry, fn: Callable[[], T]) -> T:
    """Call `fn` under the retry policy; a database out of reach becomes GatewayUnavailable."""
    try:
        result: T = retry(fn)
    except Exception as exc:
        if not _unreachable(exc):
            raise
        reason = describe(exc, secret=engine.url.password)
        raise GatewayUnavailable("database", reason) from exc
    return result


def now() -> datetime:
    return datetime.now(UTC)


def where(url: URL) -> str:
    """Dialect and place of a database, never credentials: 'postgresql db:5432/archivist'."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        in_memory = url.database in (None, "", ":memory:")
        return "sqlite in memory" if in_memory else f"sqlite {url.database}"
    port = f":{url.port}" if url.port else ""
    return f"{backend} {url.host or 'localhost'}{port}/{url.database or ''}"


# What a database driver says, and what a person should read instead.
# One schema check at a time in this process, whichever store asks first: Alembic keeps its
# migration context in module globals, so two threads migrating at once break each other.
_SCHEMA_LOCK = threading.Lock()

_PLAIN_REASONS = (
    ("connection refused", "connection refused"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("password authentication failed", "authentication failed"),
    ("no route to host", "no route to host"),
    ("database is locked", "database is locked"),
    ("statement timeout", "query took too long (statement timeout)"),
    ("pool limit", "no free connection in the pool"),
)
_TIMEOUTS = ("timeout expired", "timed out")
# psycopg2 says where it tried before why it failed; the probe detail already says where.
_PREFIX = re.compile(r'^(?:(?:connection to server at .*?, port \d+ failed:|FATAL:)\s*)+',
                     re.IGNORECASE)


def describe(exc: BaseException, seconds: float | None = None, secret: str | None = None) -> str:
    """One line saying why the database could not be used, never showing the password."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    lowered = message.lower()
    reason = next((plain for said, plain in _PLAIN_REASONS if said in lowered), None)
    if reason is None and any(t in lowered for t in _TIMEOUTS):
        reason = f"timeout after {seconds:.0f}s" if seconds is not None else "timeout"
    if reason is None:
        first = message.splitlines()[0] if message else type(exc).__name__
        reason = _PREFIX.sub("", first).strip()[:200] or type(exc).__name__
    return reason.replace(secret, "***") if secret else reason


def _unreachable(exc: BaseException) -> bool:
    """Failures that mean the database cannot be used now, as opposed to a bad request."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, (sa_exc.OperationalError, sa_exc.InterfaceError))
    return isinstance(exc, (sa_exc.TimeoutError, TimeoutError, ConnectionError))
