"""A recording known by its content: a file is hashed once, then known by size and mtime."""

from __future__ import annotations

from pathlib import Path

from archivist.domain.models import KnownFile, Recording
from archivist.domain.ports import MediaLibrary, Repository


def recording_at(repository: Repository, library: MediaLibrary, path: Path,
                 city: str = "") -> Recording:
    """The recording stored at `path`: hashed once, then known by size and mtime."""
    media = library.stat(path)
    known = repository.known_file(path)
    if known is not None and (known.size, known.mtime) == (media.size, media.mtime):
        content_hash = known.content_hash
    else:
        content_hash = library.fingerprint(path)
        repository.remember_file(KnownFile(path, media.size, media.mtime, content_hash))
    return repository.add_recording(Recording(path=path, content_hash=content_hash,
                                              size=media.size, city=city))
