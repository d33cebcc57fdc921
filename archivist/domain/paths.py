"""Which paths a request may name: only recordings inside a configured city mount."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from archivist.domain.errors import ArchivistError, NotFound

if TYPE_CHECKING:
    from archivist.domain.models import City
    from archivist.domain.ports import MediaLibrary


class OutsideLibrary(ArchivistError):
    """A path that is not inside any city's mount (or tries to leave one)."""


def recording_path(library: MediaLibrary, raw: str, city: str | None = None) -> tuple[Path, City]:
    """The real path of a recording named by a request, and the city whose mount holds it.

    `raw` is absolute, or relative to the mount of `city`. A `..` anywhere, a NUL, or a path
    whose real location (symlinks followed) is outside every mount is refused, so nobody can
    have the station read, or write captions beside, a file that is not a city's recording.
    """
    if "\x00" in raw:
        raise OutsideLibrary(f"{raw!r}: a path may not contain a NUL character")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise OutsideLibrary(f"{raw!r}: a path must be valid Unicode text "
                             "(it holds a lone surrogate)") from None
    if any(part == ".." for part in PurePosixPath(raw).parts):
        raise OutsideLibrary(f"{raw!r}: a path may not contain '..'")
    path = Path(raw)
    if not path.is_absolute():
        if city is None:
            raise OutsideLibrary(f"{raw!r}: give an absolute path, or the city it is in")
        mount = next((c for c in library.cities() if c.name == city), None)
        if mount is None:
            raise NotFound(f"no city named {city!r}")
        path = mount.path / path
    real = library.real_path(path)
    owner = library.city_of(real)
    if owner is None or (city is not None and owner.name != city):
        where = f"{city}'s mount" if city else "any city's mount"
        raise OutsideLibrary(f"{raw!r} is not inside {where}")
    return real, owner
