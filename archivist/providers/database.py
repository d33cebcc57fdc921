"""The database gateway: an SQLAlchemy engine for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.domain.errors import ConfigError
from archivist.providers.database_url import FORMS, KEY, resolve

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def url_for(url: str, data_dir: str) -> str:
    """The URL the engine uses, as text (password shown): see database_url.resolve."""
    return resolve(url, data_dir).render_as_string(hide_password=False)


# Seconds past statement_timeout the client waits before it gives up on a silent server: the
# server's own timeout, when the server is alive, fires first and says more.
_CLIENT_GRACE = 5.0


def engine(url: str, data_dir: str, connect_timeout: float, statement_timeout: float,
           pool_size: int) -> Engine:
    """Build (not connect) an engine whose every connection and every statement has a deadline."""
    from sqlalchemy import create_engine, event

    from archivist.providers.deadline import watched_connection_class

    resolved = resolve(url, data_dir)
    kwargs: dict[str, Any] = {}
    sqlite = resolved.get_backend_name() == "sqlite"
    if sqlite:
        path = resolved.database
        if path and path != ":memory:":
            kwargs["creator"] = _sqlite_creator(Path(path), connect_timeout)
    else:
        kwargs.update(
            pool_size=int(pool_size),
            pool_pre_ping=True,
            pool_timeout=connect_timeout,
            connect_args={
                # libpq's connect_timeout covers the whole handshake, so a server that
                # accepts and never answers cannot hold us longer than this.
                "connect_timeout": max(1, round(connect_timeout)),
                "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
                # A server that vanished (no ACKs) is noticed by the kernel: unacknowledged
                # data for this long closes the connection; keepalives catch an idle one.
                "tcp_user_timeout": int((statement_timeout + _CLIENT_GRACE) * 1000),
                "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                "keepalives_count": 3,
                # A server (or proxy) that keeps the connection and stops answering still
                # ACKs; only a deadline the client enforces ends that wait.
                "connection_factory": watched_connection_class(statement_timeout + _CLIENT_GRACE),
            },
        )
    try:
        eng = create_engine(resolved, **kwargs)
    except ImportError as exc:  # e.g. the driver is not installed
        raise ConfigError(f"{KEY}: the driver for {resolved.drivername} is not installed "
                          f"({exc}); expected {FORMS}") from None
    if sqlite:
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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # e.g. the data dir is under a file
            raise ConfigError(f"'data_dir': cannot make the folder {path.parent}: "
                              f"{exc.strerror or exc}") from None
        return sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    return connect


def dispose(eng: Engine) -> None:
    """Close every pooled connection."""
    eng.dispose()


def forget(eng: Engine) -> None:
    """In a child after fork: drop the parent's pooled connections without closing them."""
    eng.dispose(close=False)


# What PostgreSQL (or libpq) says when trying again cannot help: the setting must change.
_PERMANENT = (
    "does not exist",                      # database "x" does not exist, role "y" does not exist
    "could not translate host name",       # unknown host
    "name or service not known",
    "password authentication failed",
    "no pg_hba.conf entry",
    "no password supplied",
    "invalid dsn", "invalid connection option",
)


def is_permanent(exc: BaseException) -> bool:
    """The database refuses for a reason that only a change of configuration fixes."""
    message = str(getattr(exc, "orig", None) or exc).lower()
    return any(said in message for said in _PERMANENT)


def is_transient(exc: BaseException) -> bool:
    """Errors worth retrying: the connection dropped or the server was briefly unavailable."""
    from sqlalchemy import exc as sa_exc

    if is_permanent(exc):
        return False
    if isinstance(exc, sa_exc.DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, sa_exc.OperationalError)
    return isinstance(exc, (TimeoutError, ConnectionError))
