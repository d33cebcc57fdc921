"""With the fake Cablecast standing in for the station's server: a recording dropped on a
publishing city's mount ends up captioned, linked to its show, its sidecar where Cablecast
takes it, chapters on its VOD; and publishing catches up when the server comes back."""

from __future__ import annotations

import json
import time

import pytest

from archivist.domain.models import JobState
from archivist.testing.fake_cablecast import FakeCablecast, serve
from tests.e2e.conftest import SAMPLE
from tests.e2e.stations import Station, make_recording
from tests.e2e.test_metrics import scrape, value
from tests.labels import assert_bounded_labels

pytestmark = pytest.mark.slow


@pytest.fixture
def cablecast():
    running = serve(FakeCablecast())
    yield running
    running.stop()


@pytest.fixture
def station(tmp_path, cablecast):
    s = Station(tmp_path, publish_every=2,
                cablecast={"url": cablecast.url, "user": "archivist", "password": "secret",
                           "retry": {"attempts": 2, "backoff": 0.1, "max_backoff": 0.2,
                                     "deadline": 2.0},
                           "connect_timeout": 1, "read_timeout": 2, "deadline": 4})
    s.publishing_city({"location": 3, "sidecar": "beside", "chapters": True})
    yield s
    s.close()


def live_chapters(cablecast) -> list[dict]:
    return cablecast.fake.state.live_chapters(5000)


def wait_published(station: Station, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        jobs = station.repo.jobs()
        found = station.repo.publication(jobs[0].recording_id) if jobs else None
        if found and str(found[0].state) == "published":
            return found[0].as_dict()
        time.sleep(0.5)
    raise AssertionError(f"not published after {seconds}s: {found}\n{station.log_text()}")


def test_a_recording_dropped_on_a_publishing_mount_ends_up_on_its_vod(station, cablecast):
    recording = make_recording(SAMPLE, station.mount / SAMPLE.name)
    _, port = station.start_worker_serving_metrics("--beat")
    published = wait_published(station)
    job = station.repo.jobs()[0]
    assert job.state is JobState.SUCCEEDED

    assert published["show"] == 1001 and "file name" in published["link_reason"]
    assert published["vod"] == 5000 and published["sidecar"] == "beside"
    assert recording.with_suffix(".scc").read_text().startswith("Scenarist_SCC V1.0")
    titles = [c["title"] for c in live_chapters(cablecast)]
    assert "Call to order" in titles and "Roll call" in titles
    assert cablecast.fake.state.vods[5000]["chaptersPublished"] is True
    # The worker's metrics count the publication (the housekeeping worker published it), and
    # no label anywhere carries the Cablecast password, its URL or a path.
    samples = scrape(port)
    assert value(samples, "archivist_publications_total", city="Riverton", outcome="published") == 1
    assert_bounded_labels(samples, secrets=["secret", cablecast.url], places=[str(station.root)])

    # Publishing again (the command staff would run) changes nothing on the server.
    again = station.archivist("publish", "--json", str(recording))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)[0]["chapters"] == published["chapters"]
    assert [c["title"] for c in live_chapters(cablecast)] == titles
    assert len(cablecast.fake.asked("POST", "chapters")) == len(titles)


def test_publishing_catches_up_when_cablecast_comes_back(station, cablecast):
    cablecast.fake.fault(status=503)            # the server is down when the captions are done
    make_recording(SAMPLE, station.mount / SAMPLE.name, seconds=15)
    station.start_worker("--beat")
    deadline = time.monotonic() + 120
    failed = None
    while time.monotonic() < deadline and failed is None:
        jobs = station.repo.jobs()
        found = station.repo.publication(jobs[0].recording_id) if jobs else None
        failed = found[0] if found and str(found[0].state) == "failed" else None
        time.sleep(0.3)
    assert failed is not None and "503" in failed.error, station.log_text()
    assert station.repo.jobs()[0].state is JobState.SUCCEEDED   # captions did not wait

    cablecast.fake.clear_faults()                # back: the schedule publishes it
    published = wait_published(station)
    assert published["vod"] == 5000 and live_chapters(cablecast)


def test_bad_credentials_are_one_line_naming_the_server(station, cablecast):
    recording = make_recording(SAMPLE, station.mount / SAMPLE.name, seconds=10)
    assert station.archivist("transcribe", str(recording)).returncode == 0
    station.env["ARCHIVIST_CONFIG"] = str(station.rewrite(cablecast={"password": "wrong"}))
    refused = station.archivist("publish", str(recording))
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "401" in lines[0] and "127.0.0.1" in lines[0], refused.stderr
