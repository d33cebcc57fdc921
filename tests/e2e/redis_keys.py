"""Tests share one Redis: each uses its own db number (not 0) and removes what it made."""

from __future__ import annotations

import os

# Not db 0, where a developer's own Redis work lives.
REDIS = os.environ.get("ARCHIVIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def leftovers(url: str, tag: str) -> list[str]:
    """Keys and kombu binding entries in `url`'s db that mention `tag`."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        found = [k.decode() for k in client.scan_iter(match=f"*{tag}*")]
        for key in client.scan_iter(match="_kombu.binding*"):
            found += [f"{key.decode()}: {m!r}" for m in _members(client, key) if tag.encode() in m]
        return found
    finally:
        client.close()


def remove(url: str, tag: str) -> None:
    """Delete every key naming `tag` and every kombu binding entry that mentions it.

    Kombu keeps a set per exchange (`_kombu.binding.<exchange>`) and a shared sorted set
    (`_kombu.binding_deadlines`): only our entries go, so another run using the db is left alone.
    """
    import redis

    client = redis.Redis.from_url(url)
    try:
        for key in list(client.scan_iter(match=f"*{tag}*")):
            client.delete(key)
        for key in list(client.scan_iter(match="_kombu.binding*")):
            mine = [m for m in _members(client, key) if tag.encode() in m]
            if mine:  # an emptied set disappears by itself
                (client.zrem if client.type(key) == b"zset" else client.srem)(key, *mine)
        # Deadlines of exchanges nobody is bound to any more (our worker's pidbox) are stale.
        for exchange in client.zrange("_kombu.binding_deadlines", 0, -1):
            if not client.exists(b"_kombu.binding." + exchange):
                client.zrem("_kombu.binding_deadlines", exchange)
    finally:
        client.close()


def _members(client: object, key: bytes) -> list[bytes]:
    kind = client.type(key)  # type: ignore[attr-defined]
    if kind == b"set":
        return list(client.smembers(key))  # type: ignore[attr-defined]
    if kind == b"zset":
        return list(client.zrange(key, 0, -1))  # type: ignore[attr-defined]
    return []
