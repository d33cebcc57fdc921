"""Redis, as the health report sees it: one PING on a fresh connection, never retried."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archivist.domain.health import ProbeResult, Status

if TYPE_CHECKING:
    import redis as redis_lib


class RedisProbe:
    """Report whether the configured Redis answers a PING within the client's socket timeouts."""

    name = "redis"

    def __init__(self, client: redis_lib.Redis | None) -> None:
        self._client = client

    def check(self) -> ProbeResult:
        if self._client is None:
            return ProbeResult(Status.OK, "not configured: jobs use the embedded queue")
        import redis as redis_lib
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        pool = self._client.connection_pool
        # A connection of our own, outside the pool: the probe neither waits for a pooled
        # connection nor leaves a broken one behind, and its retry count is ours (none),
        # whatever retry policy the shared client was built with.
        conn = pool.connection_class(**{**pool.connection_kwargs, "retry": Retry(NoBackoff(), 0)})
        try:
            conn.connect()
            conn.send_command("PING")
            reply = conn.read_response()
        except redis_lib.TimeoutError as exc:
            return self._down(f"no answer from {_where(pool)}: {exc}")
        except redis_lib.AuthenticationError as exc:
            return self._down(f"{_where(pool)} refused the credentials: {exc}")
        except redis_lib.RedisError as exc:  # redis-py's connection errors name the address
            return self._down(str(exc) or f"{_where(pool)}: {type(exc).__name__}")
        except OSError as exc:
            return self._down(f"{_where(pool)}: {exc.strerror or exc}")
        finally:
            conn.disconnect()
        if reply not in (b"PONG", "PONG", True):
            return ProbeResult(Status.DEGRADED, f"{_where(pool)} answered PING with {reply!r}")
        return ProbeResult(Status.OK, f"{_where(pool)} answered PING")

    @staticmethod
    def _down(reason: str) -> ProbeResult:
        # One line, whatever the library put in its message.
        return ProbeResult(Status.DOWN, " ".join(reason.split()))


def _where(pool: redis_lib.ConnectionPool) -> str:
    """host:port/db of a pool, never its password."""
    kw = pool.connection_kwargs
    if "path" in kw:
        return f"unix:{kw['path']}"
    return f"{kw.get('host', 'localhost')}:{kw.get('port', 6379)}/{kw.get('db', 0)}"
