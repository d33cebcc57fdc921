"""A city mount that stops answering (an NFS hard mount whose server went away): scanning,
the recording page and publishing each answer within their bound, naming the mount.

How the hang is made: a stalled NFS mount blocks every system call on a path under it. Neither
NFS nor FUSE is available to the tests, so the library adapter is given an operating system in
which exactly that happens: `os` and `open` as the adapter sees them, where every call on a path
under the mount blocks until the test ends. Everything above those calls is the real thing: the
MountedLibrary adapter, the container, the scanner, the web app over SQLite, the publisher
against the fake Cablecast server.
"""

from __future__ import annotations

import builtins
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from archivist import containers
from archivist.adapters import filesystem
from archivist.domain.models import PublicationState, Recording, Segment, Transcript
from archivist.domain.publishing.publisher import CityPublishing, Publisher
from archivist.entrypoints.web import create_app
from archivist.providers import settings
from archivist.testing.fake_cablecast import FakeCablecast, serve
from tests.cablecast.conftest import make_client

BOUND = 0.5          # library.io_timeout and list_timeout in these tests
SLACK = 1.5          # thread start-up and a loaded machine
NAME = "1001-1-Riverton City Council (20261103)"


class HungMount:
    """`os` and `open` as the adapter sees them, with every call under `mount` blocked."""

    CALLS = ("stat", "lstat", "scandir", "listdir", "walk", "access", "makedirs", "remove",
             "replace", "chmod", "fsync", "open")
    PATH_CALLS = ("exists", "isdir", "isfile", "realpath", "getsize")

    def __init__(self, mount: Path) -> None:
        self.mount = str(mount)
        self.released = threading.Event()
        self.blocked = 0
        self.os = SimpleNamespace(**{n: getattr(os, n) for n in dir(os) if not n.startswith("__")})
        for name in self.CALLS:
            setattr(self.os, name, self._hanging(getattr(os, name)))
        self.os.path = SimpleNamespace(**{n: getattr(os.path, n) for n in dir(os.path)
                                          if not n.startswith("__")})
        for name in self.PATH_CALLS:
            setattr(self.os.path, name, self._hanging(getattr(os.path, name)))
        self.open = self._hanging(builtins.open)

    def _hanging(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(path: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, str | Path) and str(path).startswith(self.mount):
                self.blocked += 1
                self.released.wait(60)   # the test's end lets stuck threads go
            return real(path, *args, **kwargs)
        return call


@pytest.fixture
def mount(tmp_path: Path) -> Path:
    folder = tmp_path / "mnt" / "riverton"
    folder.mkdir(parents=True)
    (folder / f"{NAME}.mp4").write_bytes(b"not really video")
    (folder / f"{NAME}.report.json").write_text('{"profiles": {}}')
    return folder


@pytest.fixture
def hung(mount: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HungMount]:
    stall = HungMount(mount)
    monkeypatch.setattr(filesystem, "os", stall.os)
    monkeypatch.setattr(filesystem, "open", stall.open, raising=False)
    yield stall
    stall.released.set()


@pytest.fixture
def container(tmp_path: Path, mount: Path) -> Iterator[containers.Container]:
    config = settings.load(environ={"ARCHIVIST_DATA_DIR": str(tmp_path / "data"),
                                    "ARCHIVIST_SECRET_KEY": "test-secret"})
    config["library"].update(cities=[{"name": "Riverton", "path": str(mount)}],
                             io_timeout=BOUND, list_timeout=BOUND, settle_seconds=0)
    built = containers.build(config)
    yield built
    containers.shutdown(built)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = fn()
    return result, time.monotonic() - started


def test_a_scan_reports_the_hung_mount_within_its_bound(container, hung) -> None:
    report, seconds = timed(lambda: container.scanner().scan())
    assert seconds < BOUND + SLACK
    [(city, reason)] = report.unreachable
    assert city == "Riverton" and "no answer within 0.5s" in reason
    assert hung.blocked >= 1 and report.queued == []


def test_the_recording_page_keeps_answering_with_what_the_database_knows(
        container, mount: Path, hung) -> None:
    media = mount / f"{NAME}.mp4"
    recording = container.repository().add_recording(
        Recording(media, "0" * 64, 16, city="Riverton"))
    client = create_app(container=container).test_client()
    # More requests than the page's thread pool has workers: a call stuck for good in each
    # would leave no worker for the database after the sixteenth.
    for _ in range(20):
        response, seconds = timed(lambda: client.get(f"/recordings/{recording.id}",
                                                     headers={"Accept": "text/html"}))
        assert seconds < BOUND + SLACK
        assert response.status_code == 200
        page = response.get_data(as_text=True)   # what the database knows, not the mount
        assert "<h1>Riverton City Council</h1>" in page and "16 B" in page
    assert hung.blocked == 1   # the page asked the mount (for the caption report) once; then
    #                            the port knew the mount was stuck and answered at once


def test_publishing_fails_within_its_bound_naming_the_mount(mount: Path, hung) -> None:
    running = serve(FakeCablecast(hang_limit=10))
    try:
        platform = _platform(running.url)
        library = filesystem.MountedLibrary([{"name": "Riverton", "path": str(mount)}],
                                            retry=lambda fn: fn(), io_timeout=BOUND)
        publisher = Publisher(platform, library)
        transcript = Transcript((Segment(2.0, 5.0, "Call to order."),), duration=60.0)
        riverton = CityPublishing(location=3, sidecar="beside", chapters=True)
        done, seconds = timed(lambda: publisher.publish(mount / f"{NAME}.mp4", riverton,
                                                        transcript))
    finally:
        running.stop()
    assert seconds < BOUND + SLACK + 2   # + the calls to the fake Cablecast
    assert done.state is PublicationState.FAILED
    assert "no answer within 0.5s" in (done.error or "") and str(mount) in (done.error or "")


def _platform(url: str) -> Any:
    from archivist.adapters.cablecast import CablecastPlatform

    return CablecastPlatform(make_client(url), segment_size=64, poll_every=0.01, upload_wait=5)
