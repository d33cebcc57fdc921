"""The worker with --beat runs the live sessions staff want: started, restarted when they die,
stopped when no longer wanted, left alone when their source ended; why a start ended is noted
for `live status` and /status; a database that hangs holds up none of it."""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from archivist.entrypoints.live_report import session_report
from archivist.entrypoints.live_supervisor import LiveSupervisor


class Folder:
    def __init__(self) -> None:
        self.city = "Riverton"
        self.want: dict[str, Any] | None = None
        self.held_by_other = False
        self.stops = 0
        self.failed_with: dict[str, Any] | None = None
        self.looked_after = 0

    def wanted(self) -> dict[str, Any] | None:
        return self.want

    def unwant(self) -> None:
        self.want = None
        self.failed_with = None

    def holder(self) -> dict[str, Any] | None:
        return {"pid": 1} if self.held_by_other else None

    def request_stop(self) -> None:
        self.stops += 1

    def failed(self, failure: dict[str, Any] | None) -> None:
        self.failed_with = failure

    def failure(self) -> dict[str, Any] | None:
        return self.failed_with

    def supervised(self) -> None:
        self.looked_after += 1

    def supervised_at(self) -> float | None:
        return None

    def last_status(self) -> dict[str, Any] | None:
        return None


class Process:
    def __init__(self, command: list[str], said: bytes = b"") -> None:
        self.command, self.returncode = command, None
        self.stderr = io.BytesIO(said)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        return self.returncode

    def kill(self) -> None:
        self.returncode = -9


@dataclass
class Supervised:
    """A supervisor of Riverton (live) and Eastfield (none), its children as started."""

    folder: Folder = field(default_factory=Folder)
    spawned: list[Process] = field(default_factory=list)
    said: bytes = b""          # what the next child writes to its error output
    afterwards: Any = lambda: 0
    sup: LiveSupervisor = field(init=False)

    def __post_init__(self) -> None:
        def spawn(command: list[str], **_options: Any) -> Process:
            self.spawned.append(Process(command, self.said))
            return self.spawned[-1]
        cities = [{"name": "Riverton", "live": {"source": "udp://x"}}, {"name": "Eastfield"}]
        self.sup = LiveSupervisor(
            cities, lambda city: self.folder if city == "Riverton" else Folder(),
            lambda city, source: ["live", "start", city, "--source", source],
            afterwards=lambda: self.afterwards(), spawn=spawn)

    def turn(self, now: float) -> None:
        self.sup.turn(now)


@pytest.fixture
def supervised() -> Supervised:
    return Supervised()


def test_a_wanted_session_is_started_once_and_stopped_when_no_longer_wanted(supervised):
    folder, spawned = supervised.folder, supervised.spawned
    supervised.turn(0.0)
    assert spawned == []
    folder.want = {"source": "udp://0.0.0.0:5000"}
    supervised.turn(1.0)
    supervised.turn(2.0)
    assert [p.command for p in spawned] == [["live", "start", "Riverton", "--source", "udp://0.0.0.0:5000"]]
    assert folder.looked_after == 2   # the web can tell a supervisor is there
    folder.want = None
    supervised.turn(3.0)
    supervised.turn(4.0)
    assert folder.stops == 1
    spawned[0].returncode = 0
    supervised.turn(5.0)
    assert len(spawned) == 1


def test_a_killed_session_is_started_again_after_a_growing_delay(supervised):
    folder, spawned = supervised.folder, supervised.spawned
    folder.want = {"source": "udp://x"}
    supervised.turn(0.0)
    spawned[-1].returncode = -9   # killed
    supervised.turn(1.0)
    assert len(spawned) == 1      # waits a second first
    supervised.turn(2.0)
    assert len(spawned) == 2
    spawned[-1].returncode = 1    # failed again at once: waits longer
    supervised.turn(3.0)
    supervised.turn(4.5)
    assert len(spawned) == 2
    supervised.turn(5.0)
    assert len(spawned) == 3


def test_a_session_whose_source_ended_is_not_restarted_nor_one_running_elsewhere_doubled(supervised):
    folder, spawned = supervised.folder, supervised.spawned
    folder.want = {"source": "meeting.mp4"}
    supervised.turn(0.0)
    spawned[-1].returncode = 0   # the file played to its end
    supervised.turn(1.0)
    supervised.turn(5.0)
    assert len(spawned) == 1 and folder.want is None
    folder.want, folder.held_by_other = {"source": "udp://x"}, True
    supervised.turn(6.0)
    assert len(spawned) == 1


def test_stopping_the_supervisor_asks_its_sessions_to_end(supervised):
    supervised.folder.want = {"source": "udp://x"}
    supervised.turn(0.0)
    supervised.sup.stop_all(wait=0.1)
    assert supervised.folder.stops == 1


def test_why_a_wanted_session_ended_is_noted_and_reported_as_failing(supervised):
    folder, spawned = supervised.folder, supervised.spawned
    supervised.said = (b'{"level": "warning", "event": "retrying"}\n'
                       b"archivist: Riverton: /mnt/feed/council.mp4: no such file\n")
    folder.want = {"source": "/mnt/feed/council.mp4"}
    supervised.turn(0.0)
    spawned[-1].returncode = 1
    supervised.turn(1.0)
    assert folder.failure()["reason"] == "Riverton: /mnt/feed/council.mp4: no such file"
    report = session_report(folder)
    assert report["state"] == "failing" and report["problem"] == folder.failure()["reason"]
    assert report["retry_at"] > time.time()

    supervised.said = b""
    supervised.turn(2.0)
    spawned[-1].returncode = -9
    supervised.turn(3.0)
    assert folder.failure()["reason"] == "killed by SIGKILL"
    folder.unwant()   # stopped: nothing is failing any more
    assert session_report(folder)["state"] == "never run"


def test_a_hanging_database_holds_up_no_start_or_stop(supervised):
    """Keeping and linking (the database) runs beside the look at the cities, never in it."""
    release = threading.Event()
    supervised.afterwards = lambda: release.wait(30) and 0
    try:
        begun = time.monotonic()
        supervised.turn(0.0)            # the keep begins, and hangs
        supervised.folder.want = {"source": "udp://x"}
        supervised.turn(1.0)
        assert len(supervised.spawned) == 1
        supervised.folder.want = None
        supervised.turn(12.0)           # the next keep is due, the first still hangs: not doubled
        assert supervised.folder.stops == 1
        assert time.monotonic() - begun < 5
    finally:
        release.set()
