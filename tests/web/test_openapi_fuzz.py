"""Schemathesis over /api/v1/openapi.json: generated requests, valid and not, to every
operation, with a token; no answer may be a server error or break the document's promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from dependency_injector import providers
from hypothesis import HealthCheck, settings

from archivist import containers
from archivist.entrypoints.web import create_app
from tests.examples import examples
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
        @settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def fuzz(case: Any) -> None:
            case.call_and_validate(headers=bearer)
        fuzz()


HOSTILE = {
    "nested 5,000 deep": b'{"path": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "a lone surrogate": b'{"path": "/mnt/riverton/\\ud800.mp4", "show_id": 1, "q": "\\udfff"}',
    "not UTF-8": b'{"path": "/mnt/riverton/caf\xe9.mp4"}',
    "a NUL in a path": b'{"path": "/mnt/riverton/council\\u0000.mp4"}',
}


@pytest.mark.parametrize("what", HOSTILE)
def test_hostile_bodies_get_a_4xx_in_the_json_error_shape(app: Any, what: str) -> None:
    """Every operation that takes a body, sent what no generator makes: 4xx, never 500."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    bearer = {"Authorization": f"Bearer {app.config['FUZZ_TOKEN']}"}
    client = app.test_client()
    taking = [op for op in (r.ok() for r in schema.get_all_operations()) if op.body]
    assert taking
    for operation in taking:
        url = re.sub(r"\{[^}]+\}", "1", operation.full_path)
        response = client.open(url, method=operation.method.upper(), data=HOSTILE[what],
                               content_type="application/json", headers=bearer)
        assert 400 <= response.status_code < 500 and response.status_code not in (404, 405), \
            (operation.label, response.get_data(as_text=True))
        assert set(response.get_json()["error"]) >= {"code", "name", "message"}
        assert response.headers["X-Content-Type-Options"] == "nosniff"
