"""/health served by a real WSGI server on a real socket."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from archivist.domain.health import Status
from tests.fakes import FakeProbe


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="web-test-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_health_over_http_is_ok(app_with) -> None:
    with serving(app_with(FakeProbe("database", Status.OK))) as base:
        status, body = get(f"{base}/health")
    assert status == 200
    assert body["status"] == "ok" and body["gateways"][0]["name"] == "database"


def test_health_over_http_is_503_when_a_gateway_is_down(app_with) -> None:
    with serving(app_with(FakeProbe("redis", Status.DOWN, "refused"))) as base:
        status, body = get(f"{base}/health")
    assert status == 503
    assert body["gateways"][0]["detail"] == "refused"
