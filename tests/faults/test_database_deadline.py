"""A PostgreSQL that keeps the connection and stops answering costs at most the configured
timeouts: every statement has a deadline the client enforces."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archivist.adapters.sql import SqlRepository
from archivist.domain.errors import GatewayUnavailable
from archivist.domain.models import Recording
from archivist.providers import database, policies
from tests.adapters.databases import POSTGRES_URL
from tests.faults.proxy import FreezingProxy

STATEMENT_TIMEOUT = 1.0
CONNECT_TIMEOUT = 2.0


@pytest.fixture
def proxy() -> Iterator[FreezingProxy]:
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL)
    p = FreezingProxy((url.host or "127.0.0.1", url.port or 5432))
    yield p
    p.close()


def test_a_server_that_stops_answering_mid_job_fails_the_call_within_the_bound(
        proxy: FreezingProxy, tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    real = make_url(POSTGRES_URL)
    url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    engine = database.engine(url, str(tmp_path), connect_timeout=CONNECT_TIMEOUT,
                             statement_timeout=STATEMENT_TIMEOUT, pool_size=2)
    retry = policies.policy("database", {"attempts": 2, "backoff": 0.05, "max_backoff": 0.1,
                                         "deadline": 30.0}, database.is_transient)
    repo = SqlRepository(engine=engine, retry=retry)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select 1").scalar() == 1   # relayed while alive
        proxy.freeze()
        started = time.monotonic()
        with pytest.raises(GatewayUnavailable) as err:
            repo.add_recording(Recording(path=tmp_path / "a.mp4", content_hash="x" * 64, size=1))
        elapsed = time.monotonic() - started
    finally:
        engine.dispose()
    # Two attempts, each bounded by the statement deadline (+ grace) or the connect timeout.
    bound = 2 * (STATEMENT_TIMEOUT + database._CLIENT_GRACE) + 3
    assert elapsed < bound, f"a hung server held the call {elapsed:.1f}s"
    assert "database unavailable" in str(err.value)
