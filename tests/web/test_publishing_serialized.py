"""Publishing one recording is serialized station-wide (a lease in the database, SQLite and
PostgreSQL alike), and a publish cleans up duplicate chapters it finds on the VOD."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from archivist import containers
from archivist.domain.errors import Conflict
from archivist.domain.publishing.publisher import PublicationState
from archivist.domain.publishing.vod import Chapter
from archivist.testing.fake_cablecast import FakeCablecast, serve
from tests.cablecast.test_publishing import MEETING, NAME, SCC, VOD
from tests.fakes import ListQueue


@pytest.fixture
def cablecast():
    running = serve(FakeCablecast())
    yield running
    running.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def station(request: pytest.FixtureRequest, config: dict[str, Any], tmp_path: Path, cablecast) -> Any:
    """A container publishing Riverton to the fake Cablecast, and one captioned recording."""
    mount = tmp_path / "mnt" / "riverton"
    mount.mkdir(parents=True)
    config = {**config,
              "cablecast": {**config["cablecast"], "url": cablecast.url, "user": "archivist",
                            "password": "secret"},
              "library": {**config["library"], "cities": [
                  {"name": "Riverton", "path": str(mount),
                   "cablecast": {"location": 3, "sidecar": "beside", "chapters": True}}]}}
    container = containers.build(config)
    make = request.getfixturevalue("migrated_engine")
    if request.param == "postgresql":
        container.engine.override(providers.Object(make("postgresql")))
    else:
        make("sqlite", data_dir=Path(config["data_dir"]))
    container.job_queue.override(providers.Object(ListQueue()))
    media = mount / f"{NAME}.mp4"
    media.write_bytes(b"not really video")
    media.with_suffix(".scc").write_text(SCC)
    job = container.jobs().submit(media, city="Riverton").job
    repo = container.repository()
    claimed = repo.claim(job.id, "test:1", stale_before=job.created_at)
    repo.succeed(job.id, claimed.attempts, MEETING, [], [])
    container.recording_id = claimed.recording_id
    yield container
    containers.shutdown(container)


def live(cablecast) -> list[tuple[int, str]]:
    return [(c["offset"], c["title"]) for c in cablecast.fake.state.live_chapters(VOD)]


def test_two_publishes_at_once_leave_each_chapter_once(station, cablecast) -> None:
    cablecast.fake.fault(latency=0.2, method="POST", path="/chapters")   # slow chapter writes
    results: list[Any] = []

    def publish() -> None:
        try:
            results.append(station.publications().publish_recording(station.recording_id))
        except Conflict as exc:
            results.append(exc)
    threads = [threading.Thread(target=publish) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    published = [r for r in results if not isinstance(r, Conflict)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(published) == 1 and published[0].state is PublicationState.PUBLISHED
    assert len(refused) == 1 and "is being published now" in str(refused[0])
    assert len(live(cablecast)) == 7 == len(set(live(cablecast)))
    cablecast.fake.clear_faults()
    again = station.publications().publish_recording(station.recording_id)   # the lease is free
    assert again.state is PublicationState.PUBLISHED and len(live(cablecast)) == 7


def test_a_vod_seeded_with_duplicates_is_cleaned_by_the_next_publish(station, cablecast) -> None:
    first = station.publications().publish_recording(station.recording_id)
    assert first.state is PublicationState.PUBLISHED
    platform = station.vod_platform()
    for chapter in first.chapters[:3]:   # what two racing publishes used to leave behind
        platform.add_chapter(VOD, Chapter(chapter.offset, chapter.title))
        platform.add_chapter(VOD, Chapter(chapter.offset, chapter.title))
    assert len(live(cablecast)) == 13

    again = station.publications().publish_recording(station.recording_id)
    assert again.state is PublicationState.PUBLISHED
    assert live(cablecast) == [(c.offset, c.title) for c in first.chapters]
    assert [c.id for c in again.chapters] == [c.id for c in first.chapters]
