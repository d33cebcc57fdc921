"""The worker with --beat runs the live sessions staff want: started, restarted when they die,
stopped when no longer wanted, left alone when their source ended."""

from __future__ import annotations

from typing import Any

from archivist.entrypoints.live_supervisor import LiveSupervisor


class Folder:
    def __init__(self) -> None:
        self.want: dict[str, Any] | None = None
        self.held_by_other = False
        self.stops = 0

    def wanted(self) -> dict[str, Any] | None:
        return self.want

    def unwant(self) -> None:
        self.want = None

    def holder(self) -> dict[str, Any] | None:
        return {"pid": 1} if self.held_by_other else None

    def request_stop(self) -> None:
        self.stops += 1


class Process:
    def __init__(self, command: list[str]) -> None:
        self.command, self.returncode = command, None

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        return self.returncode

    def kill(self) -> None:
        self.returncode = -9


def supervisor() -> tuple[LiveSupervisor, Folder, list[Process]]:
    folder, spawned = Folder(), []

    def spawn(command: list[str]) -> Process:
        spawned.append(Process(command))
        return spawned[-1]
    cities = [{"name": "Riverton", "live": {"source": "udp://x"}}, {"name": "Eastfield"}]
    found = LiveSupervisor(cities, lambda city: folder if city == "Riverton" else Folder(),
                           lambda city, source: ["live", "start", city, "--source", source],
                           afterwards=lambda: 0, spawn=spawn)
    return found, folder, spawned


def test_a_wanted_session_is_started_once_and_stopped_when_no_longer_wanted():
    sup, folder, spawned = supervisor()
    sup.turn(0.0)
    assert spawned == []
    folder.want = {"source": "udp://0.0.0.0:5000"}
    sup.turn(1.0)
    sup.turn(2.0)
    assert [p.command for p in spawned] == [["live", "start", "Riverton", "--source", "udp://0.0.0.0:5000"]]
    folder.want = None
    sup.turn(3.0)
    sup.turn(4.0)
    assert folder.stops == 1
    spawned[0].returncode = 0
    sup.turn(5.0)
    assert len(spawned) == 1


def test_a_killed_session_is_started_again_after_a_growing_delay():
    sup, folder, spawned = supervisor()
    folder.want = {"source": "udp://x"}
    sup.turn(0.0)
    spawned[-1].returncode = -9   # killed
    sup.turn(1.0)
    assert len(spawned) == 1      # waits a second first
    sup.turn(2.0)
    assert len(spawned) == 2
    spawned[-1].returncode = 1    # failed again at once: waits longer
    sup.turn(3.0)
    sup.turn(4.5)
    assert len(spawned) == 2
    sup.turn(5.0)
    assert len(spawned) == 3


def test_a_session_whose_source_ended_is_not_restarted_nor_one_running_elsewhere_doubled():
    sup, folder, spawned = supervisor()
    folder.want = {"source": "meeting.mp4"}
    sup.turn(0.0)
    spawned[-1].returncode = 0   # the file played to its end
    sup.turn(1.0)
    sup.turn(5.0)
    assert len(spawned) == 1 and folder.want is None
    folder.want, folder.held_by_other = {"source": "udp://x"}, True
    sup.turn(6.0)
    assert len(spawned) == 1


def test_stopping_the_supervisor_asks_its_sessions_to_end():
    sup, folder, _ = supervisor()
    folder.want = {"source": "udp://x"}
    sup.turn(0.0)
    sup.stop_all(wait=0.1)
    assert folder.stops == 1
