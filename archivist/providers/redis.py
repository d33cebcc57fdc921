"""The Redis gateway: a client with socket timeouts, or None when no Redis is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote

from archivist.domain.errors import ConfigError

if TYPE_CHECKING:
    import redis as redis_lib


KEY = "'redis.url'"
_SCHEMES = ("redis", "rediss", "unix")


def check_url(url: str) -> str:
    """`url` if it is a Redis URL with a usable db number; otherwise a ConfigError naming the key.

    Refused: no scheme (Celery would quietly fall back to AMQP on localhost, and a real broker may
    be listening there), another scheme, a db that is not a number.
    """
    from archivist.providers.urls import masked_url, split

    parts = split(url)
    if parts is None or parts.scheme.lower() not in _SCHEMES:
        raise ConfigError(f"{KEY} must start with redis://, rediss:// or unix://, "
                          f"got {masked_url(url)!r}")
    if parts.scheme.lower() != "unix":
        db = parts.path.strip("/")
        if db and not db.isdigit():
            raise ConfigError(f"{KEY}: the database number must be a whole number, got {db!r} "
                              f"in {masked_url(url)!r}")
        port = parts.host.rsplit("]", 1)[-1].rpartition(":")[2] if ":" in parts.host else ""
        if port and not port.isdigit():
            raise ConfigError(f"{KEY}: port {port!r} is not a number in {masked_url(url)!r}")
    for name, value in parse_qsl(parts.query):
        if name == "db" and not value.isdigit():
            raise ConfigError(f"{KEY}: db={value!r} is not a whole number in {masked_url(url)!r}")
    if parts.user is None:
        return url
    # Percent-encode the credentials so the client's own parser finds the host where we did.
    auth = quote(parts.user, safe="") + (f":{quote(parts.password, safe='')}" if parts.password else "")
    return (f"{parts.scheme}://{auth}@{parts.host}{parts.path}"
            + (f"?{parts.query}" if parts.query else ""))


def client(url: str, connect_timeout: float, timeout: float) -> redis_lib.Redis | None:
    """Build (not connect) a client; every socket operation has a deadline."""
    if not url:
        return None
    import redis as redis_lib

    return redis_lib.Redis.from_url(
        check_url(url),
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
