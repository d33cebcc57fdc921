"""The station's VOD server in its own words: shows, their VODs, and chapters on a VOD."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Chapter:
    """A named point in a VOD that viewers can jump to; `offset` is whole seconds from the start."""

    offset: int
    title: str
    body: str = ""
    id: int | None = None

    def same_place(self, other: Chapter) -> bool:
        """True when both mark the same moment with the same title (ids aside)."""
        return self.offset == other.offset and _folded(self.title) == _folded(other.title)


@dataclass(frozen=True, slots=True)
class Vod:
    """A show's video on demand: the file Cablecast streams, and its chapters."""

    id: int
    show_id: int | None = None
    file_name: str = ""
    url: str = ""
    state: str = ""                  # Cablecast's vodState: complete, processing, error...
    chapters_published: bool = False


@dataclass(frozen=True, slots=True)
class Show:
    """A programme in Cablecast: one meeting, with its event date and VODs."""

    id: int
    title: str
    event_date: datetime | None = None
    location: int | None = None
    vods: tuple[Vod, ...] = ()


@dataclass(frozen=True, slots=True)
class FileStore:
    """A place Cablecast keeps files (and picks up sidecar captions from)."""

    id: int
    name: str = ""


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())
