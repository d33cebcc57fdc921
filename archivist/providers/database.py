"""The database gateway: an SQLAlchemy engine for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def url_for(url: str, data_dir: str) -> str:
    """The configured URL, or an SQLite file in the data dir when none is set."""
    return url or f"sqlite:///{Path(data_dir) / 'archivist.db'}"


def engine(url: str, data_dir: str, connect_timeout: float, statement_timeout: float,
           pool_size: int) -> Engine:
    """Build (not connect) an engine whose every connection has a timeout."""
    from sqlalchemy import create_engine, event

    url = url_for(url, data_dir)
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            kwargs["creator"] = _sqlite_creator(Path(path), connect_timeout)
    else:
        kwargs.update(
            pool_size=pool_size,
            pool_pre_ping=True,
            pool_timeout=connect_timeout,
            connect_args={
                # libpq's connect_timeout covers the whole handshake, so a server that
                # accepts and never answers cannot hold us longer than this.
                "connect_timeout": max(1, int(round(connect_timeout))),
                "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
                # Keepalives notice a server that vanished mid-query.
                "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                "keepalives_count": 3,
            },
        )
    eng = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            # WAL lets the web app read while a worker writes.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(connect_timeout * 1000)}")
            cur.close()
    return eng


def _sqlite_creator(path: Path, timeout: float) -> Any:
    import sqlite3

    def connect() -> sqlite3.Connection:
        # The data dir is made on first connection, never at import or build time.
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    return connect


def dispose(eng: Engine) -> None:
    """Close every pooled connection."""
    eng.dispose()


def forget(eng: Engine) -> None:
    """In a child after fork: drop the parent's pooled connections without closing them."""
    eng.dispose(close=False)


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying: the connection dropped or the server was briefly unavailable."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, sa_exc.OperationalError)
    return isinstance(exc, (TimeoutError, ConnectionError))
