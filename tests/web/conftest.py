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
    return config


@pytest.fixture
def app_with(config: dict[str, Any]) -> Callable[..., Flask]:
    """Build an app whose health report runs the given fake probes."""
    def make(*probes: FakeProbe) -> Flask:
        container = containers.build(config)
        container.probes.override(providers.Object(list(probes)))
        return create_app(container=container)
    return make
