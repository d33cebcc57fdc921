"""Permanent database errors fail at once; transient ones are retried quietly."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.domain.errors import GatewayUnavailable
from archivist.providers import database, policies
from tests.adapters.databases import POSTGRES_URL


def slow_retry() -> policies.RetryPolicy:
    """Three attempts a second apart: a retried failure takes two seconds or more."""
    return policies.policy("database", {"attempts": 3, "backoff": 1.0, "max_backoff": 1.0,
                                        "deadline": 30.0}, database.is_transient)


@pytest.mark.parametrize("url, reason", [
    (POSTGRES_URL.rsplit("/", 1)[0] + "/archivist_no_such_db", "does not exist"),
    ("postgresql://u@no-such-host.invalid/db", "unknown host"),
])
def test_permanent_errors_are_not_retried(url: str, reason: str, tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    engine = database.engine(url, str(tmp_path), 2, 10, 1)
    repo = SqlRepository(engine=engine, retry=slow_retry())
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(GatewayUnavailable) as err:
        repo.job(1)
    engine.dispose()
    assert time.monotonic() - started < 1.5, "a permanent error was retried"
    assert reason in str(err.value)
    assert "retrying" not in caplog.messages


def test_retry_warning_names_the_failure_not_the_driver_text(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    engine = database.engine(f"postgresql://u@127.0.0.1:{closed_port}/db", str(tmp_path), 2, 10, 1)
    retry = policies.policy("database", {"attempts": 2, "backoff": 0.01, "max_backoff": 0.01,
                                         "deadline": 5.0}, database.is_transient)
    with caplog.at_level(logging.WARNING), pytest.raises(GatewayUnavailable):
        SqlRepository(engine=engine, retry=retry).job(1)
    engine.dispose()
    warnings = [(r.getMessage(), r.gateway, r.attempt, r.error)  # type: ignore[attr-defined]
                for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [("retrying", "database", 1, "OperationalError")]
