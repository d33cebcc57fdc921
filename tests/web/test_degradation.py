"""Backends black-holed (a socket that accepts and never answers): every page still answers
within about a second and says what is down; a job posted while the broker is down is saved
and answered at once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from archivist import containers
from archivist.entrypoints.web import create_app
from tests.web.test_pages import HTML


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


def warmed(app: Flask) -> None:
    """What a server pays once, before its first page, paid before the clock: the templates
    compiled and the backends' clients built (SQLAlchemy, psycopg2, redis imported; nothing
    connects). On a loaded machine those alone took longer than the page's bound."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    app.container.engine()
    app.container.redis()
    app.container.probes()   # /status runs them


@pytest.mark.parametrize("url", ["/", "/jobs", "/jobs/1", "/recordings/1",
                                 "/recordings/1/transcript", "/search?q=budget", "/status"])
def test_pages_answer_quickly_and_say_what_is_down(config, tmp_path, black_hole, url) -> None:
    config = {**config,
              "database": {**config["database"],
                           "url": f"postgresql+psycopg2://u@127.0.0.1:{black_hole}/db"},
              "redis": {**config["redis"], "url": f"redis://127.0.0.1:{black_hole}/0"},
              "web": {**config["web"], "deadline": 0.8},   # the shipped default, measured here
              "library": {**config["library"],
                          "cities": [{"name": "Riverton", "path": str(tmp_path)}]}}
    container = containers.build(config)
    app = create_app(container=container)
    warmed(app)
    client = app.test_client()
    started = time.monotonic()
    response = client.get(url, headers=HTML)
    took = time.monotonic() - started
    containers.shutdown(container)
    assert took < 1.5, f"{url} took {took:.2f}s"
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Unavailable" in html or "down" in html, html[:800]


def test_a_job_posted_while_the_broker_is_black_holed_is_saved_and_answered_at_once(
        config, tmp_path: Path, black_hole) -> None:
    (tmp_path / "mnt").mkdir()
    (tmp_path / "mnt" / "council.mp4").write_bytes(b"meeting" * 100)
    config = {**config, "redis": {**config["redis"], "url": f"redis://127.0.0.1:{black_hole}/0"},
              "library": {**config["library"],
                          "cities": [{"name": "Riverton", "path": str(tmp_path / "mnt")}]}}
    container = containers.build(config)
    app = create_app(container=container)
    _, secret = container.access().create_token("t")   # (the database is made before the clock)
    container.repository().job(1)
    container.job_queue()   # Celery and its Redis client imported and built (no connection)
    client = app.test_client()
    assert client.get("/api/v1/openapi.json").status_code == 200   # the API app built
    started = time.monotonic()
    response = client.post("/api/v1/jobs", json={"path": str(tmp_path / "mnt/council.mp4")},
                                      headers={"Authorization": f"Bearer {secret}"})
    took = time.monotonic() - started
    assert took < 3, took
    assert response.status_code == 202
    body: dict[str, Any] = response.get_json()
    assert body["state"] == "queued" and "will be sent when it is back" in body["note"]
    assert container.repository().job(body["id"]).state == "queued"
    containers.shutdown(container)
