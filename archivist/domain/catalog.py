"""What the station has: each city's recordings on its mount, and how far each is captioned."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from archivist.domain.city_names import city_name
from archivist.domain.errors import GatewayUnavailable
from archivist.domain.models import City, Job, MediaFile
from archivist.domain.ports import MediaLibrary, Repository


@dataclass(frozen=True, slots=True)
class Listed:
    """A file on a mount, with the recording and latest job it is known as, if any."""

    file: MediaFile
    recording_id: int | None
    job: Job | None
    has_sidecar: bool

    @property
    def status(self) -> str:
        if self.job is not None:
            return str(self.job.state)
        return "captioned" if self.has_sidecar else "new"


@dataclass(frozen=True, slots=True)
class Shelf:
    """One city's latest recordings, or why its mount could not be read."""

    city: City
    listed: tuple[Listed, ...]
    problem: str | None = None

    @property
    def reachable(self) -> bool:
        return self.problem is None


class Catalog:
    """Reads the mounts and the database together; changes nothing."""

    def __init__(self, library: MediaLibrary, repository: Repository) -> None:
        self._library = library
        self._repo = repository

    def cities(self) -> Sequence[City]:
        return self._library.cities()

    def city(self, name: str) -> City:
        """The city a person named, in any case; UnknownCity (a NotFound) naming the cities."""
        cities = self._library.cities()
        wanted = city_name((c.name for c in cities), name)
        return next(c for c in cities if c.name == wanted)

    def shelf(self, city: City, limit: int = 50) -> Shelf:
        """The city's newest `limit` recordings with their caption status."""
        try:
            files = self._library.recordings(city)[:limit]
        except GatewayUnavailable as exc:
            return Shelf(city, (), exc.reason)
        return self.shelf_of(city, files)

    def shelf_of(self, city: City, files: Sequence[MediaFile]) -> Shelf:
        """The caption status of files already listed (by the database, in one go)."""
        known = self._repo.files_known([f.path for f in files])
        # A job asked for through the API keeps the file's real path (symlinks followed),
        # which differs from the listed one when the mount itself is reached by a link.
        unknown = {f.path: self._real(f.path) for f in files if f.path not in known}
        linked = {listed: real for listed, real in unknown.items() if real != listed}
        if linked:
            found = self._repo.files_known(list(linked.values()))
            known.update({listed: found[real] for listed, real in linked.items() if real in found})
        # The SCC beside a recording is what playout uses: its presence means "captioned".
        listed = []
        for f in files:
            recording_id, job = known.get(f.path, (None, None))
            listed.append(Listed(f, recording_id, job, f.captioned))
        return Shelf(city, tuple(listed))

    def _real(self, path: Path) -> Path:
        try:
            return self._library.real_path(path)
        except GatewayUnavailable:
            return path
