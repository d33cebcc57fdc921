"""Publishing from the web: the recording page shows the publication and publishes again
(through the housekeeping queue), and the API answers what a client checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from archivist import containers
from archivist.domain.models import Publication, PublicationState
from archivist.domain.publishing.vod import Chapter
from archivist.entrypoints.web import create_app
from tests.fakes import ListQueue
from tests.web.conftest import Api
from tests.web.test_api import captioned


@pytest.fixture
def api(config: dict[str, Any], tmp_path: Path) -> Any:
    mount = tmp_path / "mnt" / "riverton"
    mount.mkdir(parents=True)
    config = {**config,
              "cablecast": {**config["cablecast"], "url": "http://127.0.0.1:9"},
              "library": {**config["library"], "cities": [
                  {"name": "Riverton", "path": str(mount),
                   "cablecast": {"location": 3, "sidecar": "beside", "chapters": True}}]}}
    container = containers.build(config)
    queue = ListQueue()
    container.job_queue.override(providers.Object(queue))
    yield Api(create_app(container=container), mount, queue)
    containers.shutdown(container)


def test_publishing_again_goes_to_the_housekeeping_queue(api) -> None:
    recording_id = captioned(api)
    assert api.client.post(f"/api/v1/recordings/{recording_id}/publish", json={}).status_code == 401
    answer = api.post(f"/api/v1/recordings/{recording_id}/publish", {"show_id": 1001})
    assert answer.status_code == 202, answer.get_json()
    assert api.queue.publications == [(recording_id, 1001)]
    assert api.post("/api/v1/recordings/999999/publish", {}).status_code == 404


def test_a_recording_not_captioned_yet_cannot_be_published(api) -> None:
    job = api.post("/api/v1/jobs", {"path": str(api.recording())}).get_json()
    refused = api.post(f"/api/v1/recordings/{job['recording_id']}/publish", {})
    assert refused.status_code == 409
    assert "not captioned yet" in refused.get_json()["error"]["message"]


def test_the_publication_is_shown_on_the_api_and_the_recording_page(api) -> None:
    recording_id = captioned(api)
    assert api.client.get(f"/api/v1/recordings/{recording_id}/publication").status_code == 404
    page = api.client.get(f"/recordings/{recording_id}").get_data(as_text=True)
    assert "Not published yet" in page and 'id="publish"' in page

    api.repo.save_publication(recording_id, Publication(
        media="council.mp4", state=PublicationState.PUBLISHED, show_id=1001,
        link_reason="file name names show 1001", vod_id=5000, sidecar="beside",
        sidecar_ref="/mnt/council.scc", chapters=(Chapter(3, "Call to order", id=7),)),
        chosen_show_id=1001)
    body = api.client.get(f"/api/v1/recordings/{recording_id}/publication").get_json()
    assert body["state"] == "published" and body["vod"] == 5000 and body["chosen_show"] == 1001
    assert body["chapters"] == [{"id": 7, "offset": 3, "title": "Call to order"}]
    page = api.client.get(f"/recordings/{recording_id}").get_data(as_text=True)
    assert "Call to order" in page and "chosen by staff" in page and "5000" in page
