"""Every web request has a deadline: with the database hung, a burst of API calls gets 503
with Retry-After within about a second each, and pages and /metrics, served by the same real
server (waitress, 8 threads), still answer within 1.5 s."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.entrypoints.web.server import create_server
from archivist.providers import settings
from tests.e2e.stations import postgres_database
from tests.faults.proxy import FreezingProxy


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, FreezingProxy]]:
    """The web app on waitress over PostgreSQL reached through a proxy the test can freeze;
    every web setting is the shipped default."""
    from sqlalchemy.engine import make_url

    with postgres_database() as real:
        url = make_url(real)
        proxy = FreezingProxy((url.host or "127.0.0.1", url.port or 5432))
        through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data"),
                                        "ARCHIVIST_SECRET_KEY": "s", "ARCHIVIST_DATABASE_URL": through})
        mount = tmp_path / "mnt"
        mount.mkdir()
        config["library"]["cities"] = [{"name": "Riverton", "path": str(mount)}]
        container = containers.build(config)
        server = create_server(create_app(container=container), host="127.0.0.1", port=0,
                               threads=8, max_body=1024 * 1024)
        thread = threading.Thread(target=server.run, daemon=True, name="waitress")
        thread.start()
        try:
            yield server.effective_port, proxy
        finally:
            proxy.close()
            server.close()
            containers.shutdown(container)


def get(port: int, path: str) -> tuple[int, dict[str, str], float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders()), time.monotonic() - started
    finally:
        conn.close()


def test_a_burst_against_a_hung_database_never_holds_pages_or_metrics(served) -> None:
    port, proxy = served
    for path in ("/api/v1/jobs", "/", "/metrics"):   # warm: schema made, pool filled
        until = time.monotonic() + 60
        while get(port, path)[0] != 200:   # the first call migrates the empty database
            assert time.monotonic() < until, path
            time.sleep(0.5)
    proxy.freeze()

    answers: dict[str, Any] = {}

    def ask(key: str, path: str) -> None:
        answers[key] = get(port, path)
    burst = [threading.Thread(target=ask, args=(f"api{i}", "/api/v1/jobs" if i % 2 else
                                                 "/api/v1/search?q=water"))
             for i in range(32)]
    for t in burst:
        t.start()
    time.sleep(0.1)   # the burst is in: now a person opens the dashboard, Prometheus scrapes
    pages = [threading.Thread(target=ask, args=(key, path))
             for key, path in (("dashboard", "/"), ("metrics", "/metrics"))]
    for t in pages:
        t.start()
    for t in burst + pages:
        t.join(60)

    for key in ("dashboard", "metrics"):
        status, _, took = answers[key]
        assert status == 200 and took < 1.5, f"{key}: {status} after {took:.2f}s"
    for i in range(32):
        status, headers, took = answers[f"api{i}"]
        assert status == 503 and int(headers["Retry-After"]) > 0, (status, headers)
        assert took < 5, f"an API call took {took:.1f}s"
    slowest = max(answers[f"api{i}"][2] for i in range(32))
    print(f"API under a hung database: slowest 503 after {slowest:.2f}s; "
          f"/ {answers['dashboard'][2]:.2f}s, /metrics {answers['metrics'][2]:.2f}s")
