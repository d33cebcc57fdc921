"""A web app over a real container whose probes are hand-written fakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.providers import settings
from tests.adapters.conftest import (  # noqa: F401  (fixtures)
    migrated_engine,
    migrated_postgres,
    postgres_schema,
    sqlite_template,
)
from tests.fakes import FakeProbe


@pytest.fixture
def config(tmp_path: Path) -> dict[str, Any]:
    """The shipped defaults (embedded everything), with the data dir in a temp folder.

    /health shows its detail here and never caches, so each test sees its own probes' words.
    """
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data"),
                                    "ARCHIVIST_SECRET_KEY": "test-secret"})
    config["web"]["health_detail"] = True
    config["health"]["cache_seconds"] = 0
    # 0.8 s by default: a page or API read on a loaded test machine (other test processes,
    # benches) misses it and answers 503 "no answer within". Tests of the deadline itself
    # measure against deadline.page_seconds() or set their own.
    config["web"]["deadline"] = 5
    return config


@pytest.fixture
def app_with(config: dict[str, Any]) -> Callable[..., Flask]:
    """Build an app whose health report runs the given fake probes."""
    def make(*probes: FakeProbe) -> Flask:
        container = containers.build(config)
        container.probes.override(providers.Object(list(probes)))
        return create_app(container=container)
    return make


class Api:
    """An app over a real database, one city mount in a temp folder, and a list for a queue."""

    def __init__(self, app: Flask, mount: Path, queue: Any) -> None:
        self.app, self.mount, self.queue = app, mount, queue
        self.client = app.test_client()
        _, secret = app.container.access().create_token("tests")
        self.bearer = {"Authorization": f"Bearer {secret}"}

    @property
    def repo(self) -> Any:
        return self.app.container.repository()

    def recording(self, name: str = "council.mp4", content: bytes | None = None) -> Path:
        """A file in the city's mount (any bytes: the API never decodes it)."""
        path = self.mount / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if content is not None else name.encode() * 100)
        return path

    def read(self, url: str, tries: int = 10, **kwargs: Any) -> Any:
        """GET `url` as a client honouring 503 + Retry-After would: asked again, `tries` times
        at most, while the server says it could not answer within web.deadline (0.8 s: a
        loaded test machine misses it). Any other answer is returned at once."""
        for _ in range(tries):
            response = self.client.get(url, **kwargs)
            if response.status_code != 503 or "no answer within" not in response.get_data(as_text=True):
                break
        return response

    def post(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.post(url, json=json, headers={**self.bearer, **kwargs.pop("headers", {})},
                                **kwargs)


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, config: dict[str, Any], tmp_path: Path) -> Any:
    """The API on SQLite (the embedded default) and on PostgreSQL in a schema of its own."""
    from tests.fakes import ListQueue

    mount = tmp_path / "mnt" / "riverton"
    mount.mkdir(parents=True)
    config = {**config, "library": {**config["library"],
                                    "cities": [{"name": "Riverton", "path": str(mount)}]}}
    container = containers.build(config)
    # A migrated database with no rows: on SQLite where the container's own engine finds it.
    make = request.getfixturevalue("migrated_engine")
    if request.param == "postgresql":
        container.engine.override(providers.Object(make("postgresql")))
    else:
        make("sqlite", data_dir=Path(config["data_dir"]))
    queue = ListQueue()
    container.job_queue.override(providers.Object(queue))
    yield Api(create_app(container=container), mount, queue)
    containers.shutdown(container)
