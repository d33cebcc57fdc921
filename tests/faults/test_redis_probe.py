"""RedisProbe against a real Redis, a closed port and a port that never answers."""

from __future__ import annotations

import time

from archivist.adapters.redis_store import RedisProbe
from archivist.domain.health import Status
from archivist.providers import redis as redis_gateway
from tests.e2e.redis_keys import REDIS


def client(url: str, timeout: float = 1.0):
    return redis_gateway.client(url, connect_timeout=timeout, timeout=timeout)


def test_unconfigured_redis_is_ok_and_says_the_embedded_queue_is_used() -> None:
    result = RedisProbe(None).check()
    assert result.status is Status.OK
    assert "embedded queue" in result.detail


def test_real_redis_answers_ping() -> None:
    result = RedisProbe(client(REDIS)).check()
    assert result.status is Status.OK, result.detail
    assert "PING" in result.detail


def test_closed_port_is_down_at_once(closed_port: int) -> None:
    started = time.monotonic()
    result = RedisProbe(client(f"redis://127.0.0.1:{closed_port}/0")).check()
    assert result.status is Status.DOWN
    assert "refused" in result.detail.lower()
    assert "\n" not in result.detail
    assert time.monotonic() - started < 1.0


def test_silent_server_is_down_after_one_timeout_and_one_connection(black_hole) -> None:
    timeout = 0.5
    started = time.monotonic()
    result = RedisProbe(client(f"redis://127.0.0.1:{black_hole.port}/0", timeout)).check()
    elapsed = time.monotonic() - started
    assert result.status is Status.DOWN
    assert "no answer" in result.detail
    assert elapsed < timeout * 2 + 0.5, f"probe took {elapsed:.2f}s"
    assert black_hole.accepted == 1, "a probe must not retry"


def test_password_never_appears_in_the_detail(closed_port: int) -> None:
    result = RedisProbe(client(f"redis://:hunter2@127.0.0.1:{closed_port}/0")).check()
    assert "hunter2" not in result.detail
