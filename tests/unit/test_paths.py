"""Which paths a request may name (domain/paths.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archivist.domain.errors import NotFound
from archivist.domain.models import City
from archivist.domain.paths import OutsideLibrary, recording_path
from tests.fakes import FolderLibrary


@pytest.fixture
def library(tmp_path: Path) -> FolderLibrary:
    (tmp_path / "riverton").mkdir()
    return FolderLibrary([City("Riverton", tmp_path / "riverton", ("mp4",))])


def test_a_path_inside_a_mount_is_its_real_path_and_city(library, tmp_path) -> None:
    real, city = recording_path(library, str(tmp_path / "riverton" / "a.mp4"))
    assert real == tmp_path / "riverton" / "a.mp4" and city.name == "Riverton"
    assert recording_path(library, "sub/a.mp4", "Riverton")[0] == tmp_path / "riverton/sub/a.mp4"


@pytest.mark.parametrize("raw,city", [("../a.mp4", "Riverton"), ("/etc/passwd", None),
                                      ("a.mp4", None), ("x/../../a.mp4", "Riverton"),
                                      ("a\x00.mp4", "Riverton")])
def test_paths_that_leave_or_never_enter_a_mount_are_refused(library, raw, city) -> None:
    with pytest.raises(OutsideLibrary):
        recording_path(library, raw, city)


def test_a_symlink_out_of_the_mount_is_refused(library, tmp_path) -> None:
    (tmp_path / "riverton" / "out.mp4").symlink_to(tmp_path / "elsewhere.mp4")
    with pytest.raises(OutsideLibrary):
        recording_path(library, "out.mp4", "Riverton")


def test_an_unknown_city_is_not_found(library) -> None:
    with pytest.raises(NotFound):
        recording_path(library, "a.mp4", "Gotham")
