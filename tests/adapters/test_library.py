"""The city mounts as the MountedLibrary adapter sees them, on a real filesystem."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from archivist.adapters.filesystem import MountedLibrary
from archivist.domain.errors import ConfigError, GatewayUnavailable, MediaError


def library(tmp_path: Path, **kw) -> MountedLibrary:
    cities = [{"name": "Riverton", "path": str(tmp_path / "riverton")},
              {"name": "Eastfield", "path": str(tmp_path / "eastfield"), "extensions": ["ts"]}]
    return MountedLibrary(cities, retry=lambda fn: fn(), **kw)


def touch(path: Path, age: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_city_lists_its_recordings_newest_first_never_outside_its_mount(tmp_path):
    lib = library(tmp_path)
    old = touch(tmp_path / "riverton" / "2025" / "Council (20250101).MP4", age=99999)
    new = touch(tmp_path / "riverton" / "Council (20261103).mp4")
    touch(tmp_path / "riverton" / ".Council (20261103).scc.x1.part")      # our own, in progress
    touch(tmp_path / "riverton" / ".hidden" / "a.mp4")
    touch(tmp_path / "riverton" / "agenda.pdf")
    outside = touch(tmp_path / "elsewhere" / "secret.mp4")
    (tmp_path / "riverton" / "link.mp4").symlink_to(outside)
    (tmp_path / "riverton" / "linked-folder").symlink_to(outside.parent)
    inside = tmp_path / "riverton" / "inside-link.mp4"
    inside.symlink_to(new)

    riverton = lib.cities()[0]
    found = [f.path for f in lib.recordings(riverton)]
    assert set(found) == {new, inside, old} and found[-1] == old
    assert all(f.city == "Riverton" for f in lib.recordings(riverton))
    assert lib.city_of(new).name == "Riverton" and lib.city_of(outside) is None
    assert lib.city_of(tmp_path / "riverton" / "link.mp4") is None   # resolves outside


def test_each_city_has_its_extensions(tmp_path):
    lib = library(tmp_path)
    touch(tmp_path / "eastfield" / "a.mp4")
    ts = touch(tmp_path / "eastfield" / "b.ts")
    assert [f.path for f in lib.recordings(lib.cities()[1])] == [ts]


def test_a_missing_mount_is_unavailable_with_its_city_named(tmp_path):
    lib = library(tmp_path)
    with pytest.raises(GatewayUnavailable, match=r"Riverton: .* is not mounted"):
        lib.recordings(lib.cities()[0])


def test_only_regular_files_are_recordings(tmp_path):
    lib = library(tmp_path)
    fifo = tmp_path / "riverton" / "pipe.mp4"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with pytest.raises(MediaError, match="not a regular file"):
        lib.stat(fifo)
    with pytest.raises(MediaError, match="is a folder"):
        lib.stat(tmp_path / "riverton")
    with pytest.raises(MediaError, match="no such file"):
        lib.stat(tmp_path / "riverton" / "gone.mp4")
    assert [f.path for f in lib.recordings(lib.cities()[0])] == []


def test_a_hung_mount_gives_up_within_its_bound(tmp_path, monkeypatch):
    lib = library(tmp_path, list_timeout=0.5)
    touch(tmp_path / "riverton" / "a.mp4")
    monkeypatch.setattr(os, "walk", lambda *a, **k: time.sleep(30) or iter(()))
    started = time.monotonic()
    with pytest.raises(GatewayUnavailable, match=r"no answer within 0\.5s"):
        lib.recordings(lib.cities()[0])
    assert time.monotonic() - started < 2


def test_bad_city_settings_name_the_entry(tmp_path):
    with pytest.raises(ConfigError, match=r"library.cities\[1\]: a second city named 'A'"):
        MountedLibrary([{"name": "A", "path": "/a"}, {"name": "A", "path": "/b"}], retry=None)
    with pytest.raises(ConfigError, match=r"library.cities\[0\]: expected"):
        MountedLibrary([{"name": "A"}], retry=None)
    with pytest.raises(ConfigError, match=r"library.cities\[0\].vocabulary: expected a list"):
        MountedLibrary([{"name": "A", "path": "/a", "vocabulary": "Oyelaran"}], retry=None)


def test_a_citys_vocabulary_is_its_names_and_terms():
    lib = MountedLibrary([{"name": "A", "path": "/a", "vocabulary": ["Oyelaran", "Kessler Ave"]},
                          {"name": "B", "path": "/b"}], retry=None)
    assert [c.vocabulary for c in lib.cities()] == [("Oyelaran", "Kessler Ave"), ()]


class DeletedWhileHashed(MountedLibrary):
    """The real mount, with one file deleted after its listing and before its hash."""

    vanishes = "gone.mp4"

    def fingerprint(self, path: Path) -> str:
        if Path(path).name == self.vanishes:
            Path(path).unlink()
        return super().fingerprint(path)


def test_a_scan_of_a_real_mount_survives_a_file_deleted_before_its_hash(tmp_path, caplog):
    from archivist.domain.jobs.scan import Scanner
    from tests.unit.test_jobs import FORMATS, Station

    station = Station(tmp_path)
    lib = DeletedWhileHashed([{"name": "Riverton", "path": str(tmp_path / "riverton")}],
                             retry=lambda fn: fn())
    kept = [touch(tmp_path / "riverton" / n, age=3600) for n in ("a.mp4", "gone.mp4", "z.mp4")]
    for path in kept:
        path.write_bytes(path.name.encode())   # three recordings, not one copied thrice
        os.utime(path, (time.time() - 3600,) * 2)
    station.library = lib
    report = Scanner(lib, station.jobs(), FORMATS, settle_seconds=60).scan()
    assert sorted(p.name for p, _ in report.queued) == ["a.mp4", "z.mp4"]
    assert [(p.name, r) for p, r in report.unreadable] == [
        ("gone.mp4", "vanished before it could be read (no such file)")]
    assert any(r.message == "file not read" and r.path == str(kept[1]) for r in caplog.records)
