"""The Redis gateway: a client with socket timeouts, or None when no Redis is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import redis as redis_lib


def client(url: str, connect_timeout: float, timeout: float) -> redis_lib.Redis | None:
    """Build (not connect) a client; every socket operation has a deadline."""
    if not url:
        return None
    import redis as redis_lib

    return redis_lib.Redis.from_url(
        url,
        socket_connect_timeout=connect_timeout,
        socket_timeout=timeout,
        health_check_interval=30,
        # Retries belong to our policy, not to the client's hidden loop.
        retry_on_timeout=False,
    )


def close(c: redis_lib.Redis | None) -> None:
    if c is not None:
        c.close()


def forget(c: redis_lib.Redis | None) -> None:
    """Forget the parent's sockets without closing them under the parent."""
    if c is not None:
        c.connection_pool.reset()


def is_transient(exc: BaseException) -> bool:
    import redis as redis_lib

    return isinstance(exc, (redis_lib.ConnectionError, redis_lib.TimeoutError, TimeoutError, ConnectionError))
