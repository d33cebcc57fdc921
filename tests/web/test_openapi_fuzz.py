"""Schemathesis over /api/v1/openapi.json: generated requests, valid and not, to every
operation, with a token; no answer may be a server error or break the document's promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from dependency_injector import providers
from hypothesis import HealthCheck, settings

from archivist import containers
from archivist.entrypoints.web import create_app
from tests.fakes import ListQueue, spoken


def fuzzed_app(config: dict[str, Any], root: Path) -> Any:
    mount = root / "mnt" / "riverton"
    mount.mkdir(parents=True)
    (mount / "council.mp4").write_bytes(b"meeting" * 1000)
    config = {**config, "library": {**config["library"],
                                    "cities": [{"name": "Riverton", "path": str(mount)}]},
              "web": {**config["web"], "changes_per_minute": 0, "login_per_minute": 0}}
    container = containers.build(config)
    container.job_queue.override(providers.Object(ListQueue()))
    app = create_app(container=container)
    jobs = container.jobs()
    job = jobs.submit(mount / "council.mp4", city="Riverton").job
    repo = container.repository()
    claimed = repo.claim(job.id, "fuzz:1", stale_before=job.created_at)
    repo.succeed(job.id, claimed.attempts, spoken((1.0, "The water main is approved.")), [], [])
    _, secret = container.access().create_token("fuzz")
    app.config["FUZZ_TOKEN"] = secret
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from archivist.providers import settings as archivist_settings

    root = tmp_path_factory.mktemp("fuzz")
    config = archivist_settings.load(environ={"ARCHIVIST_DATA_DIR": str(root / "data"),
                                              "ARCHIVIST_SECRET_KEY": "fuzz-secret"})
    return fuzzed_app(config, root)


def test_no_request_gets_a_server_error(app: Any) -> None:
    from hypothesis import given

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    bearer = {"Authorization": f"Bearer {app.config['FUZZ_TOKEN']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=bearer)
        fuzz()
