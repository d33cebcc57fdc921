"""A gateway that hangs shows as down in the web app's metrics within its deadline, and
/metrics itself keeps answering promptly: a hung database costs a scrape at most
`health.scrape_timeout` (web.deadline on the web), and its backlog series are left out."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.providers import settings
from tests.e2e.stations import postgres_database
from tests.faults.proxy import FreezingProxy
from tests.labels import parse, value

SCRAPE_TIMEOUT = 1.5
HEALTH_DEADLINE = 2.0


def station_config(tmp_path: Path, **environ: str) -> dict[str, Any]:
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data"), **environ})
    config["health"].update(scrape_timeout=SCRAPE_TIMEOUT, deadline=HEALTH_DEADLINE,
                            cache_seconds=0)
    return config


def scrape(client: Any) -> tuple[dict[tuple[str, tuple[tuple[str, str], ...]], float], float]:
    started = time.monotonic()
    response = client.get("/metrics")
    assert response.status_code == 200
    return parse(response.data.decode()), time.monotonic() - started


@pytest.fixture
def frozen_database(tmp_path: Path) -> Iterator[tuple[Any, FreezingProxy]]:
    """A web app whose PostgreSQL is reached through a proxy the test can freeze."""
    from sqlalchemy.engine import make_url

    with postgres_database() as real:
        url = make_url(real)
        proxy = FreezingProxy((url.host or "127.0.0.1", url.port or 5432))
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        config = station_config(tmp_path, ARCHIVIST_DATABASE_URL=through)
        config["database"].update(connect_timeout=1, statement_timeout=1)
        config["database"]["retry"].update(attempts=1, deadline=2)
        container = containers.build(config)
        try:
            yield create_app(container=container), proxy
        finally:
            proxy.close()
            containers.shutdown(container)


def test_a_hung_database_is_down_in_the_metrics_at_the_next_scrape(frozen_database):
    app, proxy = frozen_database
    client = app.test_client()
    until = time.monotonic() + 30
    samples, _ = scrape(client)
    while value(samples, "archivist_gateway_up", gateway="database") != 1:
        assert time.monotonic() < until, "the database never answered a scrape"
        samples, _ = scrape(client)   # the first read migrates the empty database: slower

    proxy.freeze()
    samples, took = scrape(client)
    assert took < SCRAPE_TIMEOUT + 1.0, f"/metrics took {took:.1f}s with the database hung"
    assert value(samples, "archivist_gateway_up", gateway="database") == 0
    assert not any(name in ("archivist_jobs", "archivist_city_oldest_waiting_seconds")
                   for name, _ in samples), "figures the database did not give"
    # Scrapes while it stays hung answer just as promptly (no pile of waiting reads).
    for _ in range(2):
        samples, took = scrape(client)
        assert took < SCRAPE_TIMEOUT + 1.0
        assert value(samples, "archivist_gateway_up", gateway="database") == 0


def test_a_black_holed_redis_is_down_in_the_metrics_within_the_health_deadline(tmp_path, black_hole):
    config = station_config(tmp_path, ARCHIVIST_REDIS_URL=f"redis://127.0.0.1:{black_hole.port}/0")
    config["redis"].update(connect_timeout=1, timeout=1)
    container = containers.build(config)
    try:
        client = create_app(container=container).test_client()
        started = time.monotonic()
        while True:
            samples, took = scrape(client)
            assert took < SCRAPE_TIMEOUT + 1.0, f"/metrics took {took:.1f}s"
            if value(samples, "archivist_gateway_up", gateway="redis") == 0:
                break
            assert time.monotonic() - started < HEALTH_DEADLINE + 2.0, \
                "redis not reported down within the health deadline"
            time.sleep(0.2)
        assert value(samples, "archivist_gateway_up", gateway="database") == 1
    finally:
        containers.shutdown(container)
