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
# A call that touches no mount has no bound of its own to keep: it is held only to a generous
# but finite deadline (far under the HungMount's 60 s), since on a loaded machine its time is
# the scheduler's. Whether it waited for the mount is told by HungMount.blocked.
NO_MOUNT_DEADLINE = 15.0
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
        self.first_blocked: float | None = None   # when a call first met the hang (monotonic)
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
                if self.first_blocked is None:
                    self.first_blocked = time.monotonic()
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


def since_the_hang(hung: HungMount) -> float:
    """Seconds from the moment a call first met the hung mount until now: what the mount's
    bound limits (building the container and migrating the database before that are not the
    mount's, and on a loaded machine they alone took longer than the bound)."""
    assert hung.first_blocked is not None, "nothing asked the mount"
    return time.monotonic() - hung.first_blocked


def test_a_scan_reports_the_hung_mount_within_its_bound(container, hung) -> None:
    container.repository().job(1)   # the database made and migrated before the scan
    report, seconds = timed(lambda: container.scanner().scan())
    assert since_the_hang(hung) < BOUND + SLACK
    assert seconds < NO_MOUNT_DEADLINE
    [(city, reason)] = report.unreachable
    assert city == "Riverton" and "no answer within 0.5s" in reason
    assert hung.blocked >= 1 and report.queued == []


def test_the_recording_page_keeps_answering_with_what_the_database_knows(
        container, mount: Path, hung) -> None:
    media = mount / f"{NAME}.mp4"
    recording = container.repository().add_recording(
        Recording(media, "0" * 64, 16, city="Riverton"))
    elsewhere = container.repository().add_recording(
        Recording(mount.parent / "elsewhere.mp4", "1" * 64, 16, city="Riverton"))
    client = create_app(container=container).test_client()
    # The page's first rendering (templates compiled, the database's first use) is not the
    # mount's time: paid on a recording outside the hung mount, which asks it nothing.
    warm = client.get(f"/recordings/{elsewhere.id}", headers={"Accept": "text/html"})
    assert warm.status_code == 200 and hung.blocked == 0
    # More requests than the page's thread pool has workers: a call stuck for good in each
    # would leave no worker for the database after the sixteenth.
    for n in range(20):
        response, seconds = timed(lambda: client.get(f"/recordings/{recording.id}",
                                                     headers={"Accept": "text/html"}))
        if n == 0:   # the one that asks the mount: within its bound of meeting the hang
            assert since_the_hang(hung) < BOUND + SLACK
        assert seconds < NO_MOUNT_DEADLINE
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
        hung_for = since_the_hang(hung)
    finally:
        running.stop()
    assert hung_for < BOUND + SLACK + 2   # + the calls to the fake Cablecast after it
    assert seconds < NO_MOUNT_DEADLINE
    assert done.state is PublicationState.FAILED
    assert "no answer within 0.5s" in (done.error or "") and str(mount) in (done.error or "")


def _platform(url: str) -> Any:
    from archivist.adapters.cablecast import CablecastPlatform

    return CablecastPlatform(make_client(url), segment_size=64, poll_every=0.01, upload_wait=5)
