"""A client-side deadline for database calls: a server that stops answering cannot hold us.

The server's statement_timeout only helps while the server is alive, and TCP keepalives are
answered by any proxy or load balancer in between. So each statement is also watched here: if
it runs past its deadline, the connection's socket is shut down, the driver's blocking read
returns at once, and the caller gets an ordinary "connection lost" error it can retry.
One watcher thread serves the whole process; it starts on the first armed call, never at import.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

log = logging.getLogger("archivist.database")


class Watchdog:
    """Shut down a connection's socket when its armed deadline passes."""

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, int]] = {}   # id(dbapi connection) -> (deadline, fd)
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def arm(self, dbapi_conn: Any, seconds: float) -> None:
        """Watch `dbapi_conn` until disarmed; past `seconds` from now its socket is shut down."""
        try:
            fd = dbapi_conn.fileno()
        except Exception:  # closed already: nothing to watch
            return
        if self._pid != os.getpid():
            # A forked child: the parent's watcher thread (and whoever held its lock) is gone.
            self._cond, self._armed, self._thread = threading.Condition(), {}, None
            self._pid = os.getpid()
        with self._cond:
            self._armed[id(dbapi_conn)] = (time.monotonic() + seconds, fd)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, daemon=True,
                                                name="database-deadline")
                self._thread.start()
            self._cond.notify()

    def disarm(self, dbapi_conn: Any) -> None:
        with self._cond:
            self._armed.pop(id(dbapi_conn), None)

    def _watch(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                expired = [(key, fd) for key, (due, fd) in self._armed.items() if due <= now]
                for key, _ in expired:
                    del self._armed[key]
                if not expired:
                    soonest = min((due for due, _ in self._armed.values()), default=now + 60)
                    self._cond.wait(max(0.01, soonest - now))
                    continue
            for _, fd in expired:
                _shut_down(fd)


def _shut_down(fd: int) -> None:
    log.warning("database deadline passed: closing the connection")
    try:
        # A duplicate of the descriptor: shutting it down ends the connection for the driver too,
        # while the driver keeps ownership of (and later closes) its own descriptor.
        sock = socket.socket(fileno=_dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def _dup(fd: int) -> int:
    return os.dup(fd)


watchdog = Watchdog()


def watched_connection_class(seconds: float) -> type:
    """A psycopg2 connection class whose every statement, commit and rollback is watched.

    Built per engine (the deadline is the engine's); psycopg2 is imported here, on first use.
    """
    import psycopg2.extensions as ext

    class WatchedCursor(ext.cursor):
        def execute(self, query: Any, vars: Any = None) -> Any:
            return _watched(self.connection, lambda: super(WatchedCursor, self).execute(query, vars))

        def executemany(self, query: Any, vars_list: Any) -> Any:
            return _watched(self.connection,
                            lambda: super(WatchedCursor, self).executemany(query, vars_list))

        def callproc(self, procname: Any, parameters: Any = None) -> Any:
            return _watched(self.connection,
                            lambda: super(WatchedCursor, self).callproc(procname, parameters))

    class WatchedConnection(ext.connection):
        deadline = seconds

        def cursor(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("cursor_factory", WatchedCursor)
            return super().cursor(*args, **kwargs)

        def commit(self) -> None:
            _watched(self, super().commit)

        def rollback(self) -> None:
            _watched(self, super().rollback)

    return WatchedConnection


def _watched(conn: Any, call: Any) -> Any:
    watchdog.arm(conn, conn.deadline)
    try:
        return call()
    finally:
        watchdog.disarm(conn)
