"""Fixtures for unit tests of the `archivist` command: a station on disk with one city."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from archivist import containers
from archivist.domain.models import Job
from archivist.entrypoints.cli import cli
from archivist.providers import settings


class OneCityStation:
    """A station's settings file (`overlay`) naming one city, Riverton, whose mount is a temp
    folder; its container (`container`) is built when first asked for."""

    def __init__(self, root: Path) -> None:
        self.mount = root / "mnt"
        self.mount.mkdir()
        self.overlay = root / "archivist.yml"
        self.overlay.write_text(yaml.safe_dump({"data_dir": str(root / "data"), "library": {
            "cities": [{"name": "Riverton", "path": str(self.mount)}]}}))
        self._container: Any = None

    @property
    def container(self) -> Any:
        if self._container is None:
            self._container = containers.build(settings.load(self.overlay, environ={}))
        return self._container

    def queued(self, name: str) -> Job:
        """A recording `name` on the mount (a few bytes, not media), with a job queued for it."""
        media = self.mount / name
        media.write_bytes(name.encode() * 100)
        recording = self.container.jobs().recording_at(media, "Riverton")
        job, _ = self.container.repository().queue_job(Job(recording_id=recording.id, path=media,
                                                            city="Riverton"))
        return job

    def cli(self, *args: str) -> Result:
        """`archivist --config <overlay> ARGS`, which builds a container of its own: the test's
        is shut down first, what it wrote committed."""
        self.close()
        return CliRunner().invoke(cli, ["--config", str(self.overlay), *args])

    def close(self) -> None:
        if self._container is not None:
            containers.shutdown(self._container)
            self._container = None


@pytest.fixture
def one_city(tmp_path: Path) -> Iterator[OneCityStation]:
    station = OneCityStation(tmp_path)
    yield station
    station.close()
