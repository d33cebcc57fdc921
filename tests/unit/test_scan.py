"""Scanning the city mounts, with fakes for the database, broker and model."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from archivist.domain.accuracy.service import Accuracy
from archivist.domain.errors import ArchivistError, GatewayUnavailable, MediaError
from archivist.domain.jobs.scan import Scanner
from archivist.domain.models import City, JobState, MediaFile
from tests.fakes import FolderLibrary
from tests.unit.test_jobs import FORMATS, Station


@pytest.fixture
def station(tmp_path: Path) -> Station:
    s = Station(tmp_path)
    s.cities = [City("Riverton", tmp_path / "riverton", ("mp4", "ts")),
                City("Eastfield", tmp_path / "eastfield", ("mp4",))]
    s.library = FolderLibrary(s.cities)
    return s


def scanner(station: Station, settle: float = 60) -> Scanner:
    return Scanner(station.library, station.jobs(), FORMATS, settle_seconds=settle)


def dropped(station: Station, city: int, name: str, age: float = 3600, content: bytes = b"") -> Path:
    path = station.cities[city].path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content or name.encode())
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_new_recordings_are_queued_newest_first_and_only_once(station):
    older = dropped(station, 0, "older.mp4", age=7200)
    newer = dropped(station, 0, "sub/newer.ts", age=3600)
    dropped(station, 0, "agenda.pdf")
    report = scanner(station).scan()
    assert [p for p, _ in report.queued] == [newer, older]
    assert all(station.repo.job(j).state is JobState.QUEUED for _, j in report.queued)
    # Workers take the newest job first: tonight's meeting before last month's.
    assert station.jobs().take(station.queue.take(), FORMATS).job.path == newer

    again = scanner(station).scan()
    assert again.queued == []
    assert {r for _, r in again.skipped} >= {"already queued as job 1"}


def test_files_still_being_written_and_captioned_ones_are_left(station):
    dropped(station, 0, "growing.mp4", age=5)
    done = dropped(station, 0, "done.mp4")
    done.with_suffix(".scc").write_text("Scenarist_SCC V1.0\n")
    report = scanner(station, settle=60).scan()
    reasons = dict((p.name, r) for p, r in report.skipped)
    assert report.queued == []
    assert reasons["growing.mp4"].startswith("still being written")
    assert reasons["done.mp4"] == "already has captions (.scc beside it)"


def test_a_copy_of_done_content_gets_its_sidecars_without_the_model(station):
    original = dropped(station, 0, "meeting.mp4", content=b"the meeting")
    scanner(station).scan()
    station.jobs().take(station.queue.take(), FORMATS)
    copy = dropped(station, 1, "renamed copy.mp4", content=b"the meeting")
    report = scanner(station).scan()
    assert report.queued == []
    assert copy.with_suffix(".scc").read_text().startswith("Scenarist_SCC V1.0")
    assert len(station.transcriber.calls) == 1 and original.with_suffix(".scc").exists()


def test_an_unchanged_file_is_not_hashed_again(station):
    dropped(station, 0, "meeting.mp4")
    scanner(station).scan()
    scanner(station).scan()
    assert len(station.library.hashed) == 1


def test_a_missing_mount_is_reported_and_the_others_go_on(station):
    dropped(station, 0, "meeting.mp4")
    report = scanner(station).scan()
    assert [c for c, _ in report.unreachable] == ["Eastfield"]
    assert len(report.queued) == 1


def test_a_failed_recording_is_not_queued_again_by_the_next_scan(station):
    dropped(station, 0, "corrupt.mp4")
    scanner(station).scan()
    station.jobs().take(station.queue.take(), FORMATS)
    report = scanner(station).scan()
    assert report.queued == []
    assert "failed before (job 1" in report.skipped[0][1]
    assert "archivist jobs retry 1" in report.skipped[0][1]


def test_one_city_by_name_and_an_unknown_name(station):
    dropped(station, 0, "meeting.mp4")
    assert scanner(station).scan("Eastfield").queued == []
    with pytest.raises(ArchivistError, match="unknown city 'Nowhere'; cities: Riverton, Eastfield"):
        scanner(station).scan("Nowhere")
    with pytest.raises(ArchivistError, match="did you mean Eastfield"):
        scanner(station).scan("Eastfeld")


class VanishingLibrary(FolderLibrary):
    """A mount where one file is deleted between the listing and its hash, as a person tidying
    the share would."""

    def __init__(self, cities, vanishes: str) -> None:
        super().__init__(cities)
        self.vanishes = vanishes

    def fingerprint(self, path: Path) -> str:
        if path.name == self.vanishes:
            path.unlink()
            raise MediaError(path, "vanished before it could be read (no such file)")
        return super().fingerprint(path)


def test_a_file_that_vanishes_mid_scan_is_reported_and_the_rest_are_queued(station):
    first = dropped(station, 0, "first.mp4", age=7200)
    gone = dropped(station, 0, "gone.mp4", age=5400)
    last = dropped(station, 0, "last.mp4", age=3600)
    station.library = VanishingLibrary(station.cities, "gone.mp4")
    report = scanner(station).scan()
    assert [p for p, _ in report.queued] == [last, first]
    assert report.unreadable == [(gone, "vanished before it could be read (no such file)")]
    assert report.as_dict()["unreadable"] == [{"path": str(gone), "reason": report.unreadable[0][1]}]


class DownJobs:
    """Jobs whose database does not answer: every submit waits, then gives up."""

    def __init__(self) -> None:
        self.asked = 0

    def submit(self, *args: object, **kwargs: object) -> None:
        self.asked += 1
        raise GatewayUnavailable("database", "timeout")


def test_a_database_that_does_not_answer_is_waited_for_once_and_said(station):
    """It was asked (and waited for, ~17 s with retries) once per file, each file reported
    'skipped' and the scan exited 0: a mount of a thousand recordings held it for hours."""
    paths = [dropped(station, 0, f"{n}.mp4", age=3600 + n) for n in range(3)]
    down = DownJobs()
    report = Scanner(station.library, down, FORMATS, settle_seconds=60).scan()  # type: ignore[arg-type]
    assert down.asked == 1
    assert report.queued == [] and report.skipped == []
    assert sorted(p for p, _ in report.not_queued) == sorted(paths)
    assert {r for _, r in report.not_queued} == {"database unavailable: timeout"}
    assert report.as_dict()["not_queued"][0]["reason"] == "database unavailable: timeout"


class DownRepository:
    """A repository whose database does not answer: every read waits, then gives up."""

    def __init__(self) -> None:
        self.asked = 0

    def files_known(self, paths: object) -> None:
        self.asked += 1
        raise GatewayUnavailable("database", "timeout")


class CaptionedLibrary:
    """Two cities, each with a new recording and a captioned one with a person's captions beside."""

    def __init__(self, cities: list[City], captioned_only: bool = False) -> None:
        self._cities, self._captioned_only = cities, captioned_only

    def cities(self) -> list[City]:
        return self._cities

    def recordings(self, city: City) -> list[MediaFile]:
        done = MediaFile(city.path / "done.mp4", 1, 0.0, city.name, True, "done.srt")
        return [done] if self._captioned_only else [MediaFile(city.path / "new.mp4", 1, 0.0, city.name), done]


def test_a_database_that_does_not_answer_is_not_waited_for_again_to_measure(station, caplog):
    """Caption files were still measured for every city once the database was down: each
    city waited for it again (its retry deadline), so a scan of ten cities held for minutes."""
    caplog.set_level(logging.INFO, "archivist.scan")
    for captioned_only in (False, True):
        down, repository = DownJobs(), DownRepository()
        accuracy = Accuracy(None, None, repository=repository)  # type: ignore[arg-type]
        report = Scanner(CaptionedLibrary(station.cities, captioned_only), down, FORMATS,  # type: ignore[arg-type]
                         settle_seconds=60, accuracy=accuracy).scan()
        assert down.asked + repository.asked == 1
        assert report.database_down == "database unavailable: timeout" and report.measured == []
    done = [r for r in caplog.records if r.getMessage() == "scan done"]
    assert [r.not_queued for r in done] == [2, 0]   # the new recording of each city
