"""A corrected word reaches everything a viewer sees: the SCC and VTT in the mount, the
download, search and the sidecar on the (fake) Cablecast server; Cablecast down leaves it
pending until the schedule retries; a city that publishes on approval waits for it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from archivist import containers
from archivist.entrypoints.web import create_app
from archivist.testing.fake_cablecast import FakeCablecast, RunningFake, serve
from tests.captions.scc_readers import pycaption_decode
from tests.fakes import ListQueue
from tests.web.conftest import Api
from tests.web.test_api import captioned

MEETING = "1001-1-Riverton City Council (20261103).mp4"
STORE = 7


@pytest.fixture
def cablecast() -> Iterator[RunningFake]:
    running = serve(FakeCablecast())
    yield running
    running.stop()


def station(config: dict[str, Any], tmp_path: Path, cablecast: RunningFake,
            publish: str) -> Api:
    mount = tmp_path / "mnt" / "riverton"
    mount.mkdir(parents=True)
    config = {**config,
              "cablecast": {**config["cablecast"], "url": cablecast.url, "user": "archivist",
                            "password": "secret", "connect_timeout": 1, "read_timeout": 2,
                            "deadline": 3, "circuit": {"threshold": 100, "cooldown": 1},
                            "retry": {"attempts": 1, "backoff": 0.0, "max_backoff": 0.0,
                                      "deadline": 3.0},
                            "upload": {"segment_size": 1048576, "wait": 5}},
              "library": {**config["library"], "cities": [
                  {"name": "Riverton", "path": str(mount), "review": {"publish": publish},
                   "cablecast": {"location": 3, "sidecar": "upload", "file_store": STORE,
                                 "chapters": True}}]}}
    container = containers.build(config)
    container.job_queue.override(providers.Object(ListQueue()))
    return Api(create_app(container=container), mount, container.job_queue())


@pytest.fixture
def on_caption(config, tmp_path, cablecast) -> Iterator[Api]:
    api = station(config, tmp_path, cablecast, "on_caption")
    yield api
    containers.shutdown(api.app.container)


@pytest.fixture
def on_approval(config, tmp_path, cablecast) -> Iterator[Api]:
    api = station(config, tmp_path, cablecast, "on_approval")
    yield api
    containers.shutdown(api.app.container)


def fix_street(api: Api, recording_id: int, base: int = 1) -> dict[str, Any]:
    url = f"/api/v1/recordings/{recording_id}/transcript"
    lines = [{"start": s["start"], "end": s["end"], "text": s["text"]}
             for s in api.client.get(url).get_json()["segments"]]
    lines[1]["text"] = lines[1]["text"].replace("Elm Street", "Okafor Street")
    answer = api.client.put(url, json={"segments": lines},
                            headers={**api.bearer, "If-Match": f'"{base}"'})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def sidecar(cablecast: RunningFake) -> str:
    state = cablecast.fake.state
    with state.lock:
        return state.files[(STORE, Path(MEETING).with_suffix(".scc").name)].decode()


def shown(scc: str) -> str:
    return " ".join(" ".join(seen.lines) for seen in pycaption_decode(scc))


def test_a_corrected_word_reaches_the_mount_downloads_search_and_cablecast(on_caption, cablecast):
    api = on_caption
    recording_id = captioned(api, MEETING)
    saved = fix_street(api, recording_id)
    assert saved["applied"]["cablecast"] == "done" and saved["applied"]["captions"] == "done"
    scc = (api.mount / Path(MEETING).with_suffix(".scc").name).read_text()
    assert "OKAFOR" in shown(scc).upper() and "ELM" not in shown(scc).upper()
    assert "Okafor Street" in (api.mount / Path(MEETING).with_suffix(".vtt").name).read_text()
    download = api.client.get(f"/api/v1/recordings/{recording_id}/captions/vtt")
    assert "Okafor Street" in download.get_data(as_text=True)
    assert api.client.get("/api/v1/search?q=Okafor").get_json()["results"]
    assert sidecar(cablecast) == scc
    # Applying the same revision again sends nothing new to Cablecast.
    uploads = len(cablecast.fake.state.uploads)
    api.app.container.revisions().set_pending(recording_id, 2, ["captions", "cablecast"])
    assert api.app.container.applier().apply(recording_id).cablecast == "done"
    assert len(cablecast.fake.state.uploads) == uploads


def test_cablecast_down_is_pending_until_the_schedule_retries(on_caption, cablecast):
    api = on_caption
    recording_id = captioned(api, MEETING)
    cablecast.fake.fault(status=503)
    saved = fix_street(api, recording_id)
    assert saved["applied"]["cablecast"] == "pending" and saved["applied"]["captions"] == "done"
    assert "Cablecast not updated" in saved["applied"]["problems"][0]
    cablecast.fake.clear_faults()
    done = api.app.container.applier().retry_pending()
    assert [a.cablecast for a in done] == ["done"]
    assert "OKAFOR" in shown(sidecar(cablecast)).upper()


def test_a_city_publishing_on_approval_waits_for_it(on_approval, cablecast):
    api = on_approval
    recording_id = captioned(api, MEETING)
    saved = fix_street(api, recording_id)
    assert saved["applied"]["cablecast"] == "not_published"
    assert not cablecast.fake.state.files
    # The worker's road (after a transcription, and the catch-up) waits for approval too.
    job = api.repo.latest_job(recording_id)
    assert api.app.container.publications().publish_job(job) is None
    approved = api.post(f"/api/v1/recordings/{recording_id}/approve")
    assert approved.get_json()["applied"]["cablecast"] == "done"
    assert "OKAFOR" in shown(sidecar(cablecast)).upper()
