"""Publishing a captioned recording to the station's VOD server: link, sidecar, chapters.

Every step looks at what the server already has before changing anything, so publishing again
(or retrying after a failure half-way) never duplicates a chapter or an upload. The outcome is a
`Publication`, ready to be saved per recording and shown to staff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archivist.domain import captions
from archivist.domain.captions.settings import CaptionSettings
from archivist.domain.errors import ArchivistError, CablecastError, ConfigError, NotFound
from archivist.domain.models import Publication, PublicationState
from archivist.domain.publishing.chapters import find_chapters
from archivist.domain.publishing.linking import link
from archivist.domain.publishing.vod import Chapter, Show, Vod
from archivist.domain.sidecars import sidecar_path

if TYPE_CHECKING:
    from archivist.domain.models import Transcript
    from archivist.domain.ports import MediaLibrary, VodPlatform

log = logging.getLogger("archivist.publishing")

SIDECAR_MODES = ("beside", "upload")


@dataclass(frozen=True, slots=True)
class CityPublishing:
    """How one city publishes: a city's `cablecast:` section in the configuration.

    `beside`: the city's mount is the Cablecast store, so the SCC written next to the video is
    picked up by name. `upload`: it is not, so the SCC goes to `file_store` through the API.
    """

    location: int | None = None
    sidecar: str = "beside"
    file_store: int | None = None
    chapters: bool = True

    def __post_init__(self) -> None:
        if self.sidecar not in SIDECAR_MODES:
            raise ConfigError(f"cablecast.sidecar is {self.sidecar!r}; expected beside or upload")
        if self.sidecar == "upload" and self.file_store is None:
            raise ConfigError("cablecast.sidecar is upload but cablecast.file_store is not set")

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> CityPublishing | None:
        """The settings of a city's `cablecast:` section; None when the city does not publish."""
        if not section:
            return None
        known = {"location", "sidecar", "file_store", "chapters"}
        unknown = set(section) - known
        if unknown:
            raise ConfigError(f"unknown cablecast setting(s) for a city: {', '.join(sorted(unknown))}")
        return cls(**dict(section))


class Publisher:
    """Publishes recordings to the VOD platform; safe to run again on the same recording."""

    def __init__(self, platform: VodPlatform, library: MediaLibrary,
                 settings: CaptionSettings | None = None) -> None:
        self._platform = platform
        self._settings = settings or CaptionSettings()
        self._library = library

    def publish(self, media: Path, city: CityPublishing, transcript: Transcript | None = None,
                scc: str | None = None, show_id: int | None = None,
                previous: Publication | None = None) -> Publication:
        """Link `media` to its show, deliver its SCC sidecar, and put its chapters on the VOD.

        `scc` is the caption text when already rendered (else it is rendered from `transcript`,
        else read from beside the video). `show_id` is a show staff chose. `previous` is the
        last publication of this recording: chapters it made that are no longer found in the
        transcript are deleted. Raises CablecastError when the server refuses the credentials;
        every other failure is the returned Publication's error.
        """
        media = Path(media)
        progress: dict[str, Any] = {"media": str(media), "sidecar": city.sidecar}
        try:
            found = link(media.name, self._platform, chosen=show_id, location=city.location)
            progress.update(show_id=found.show_id, link_reason=found.reason)
            if found.show_id is None:
                return Publication(state=PublicationState.UNLINKED, **progress)
            show = self._show(found.show_id, found.reason)
            vod = vod_of(show, media)
            progress["vod_id"] = vod.id if vod else None
            progress["sidecar_ref"] = self._deliver(media, city, transcript, scc)
            notes: list[str] = []
            if not city.chapters:
                notes.append("chapters are off for this city")
            elif vod is None and show.vods:
                raise ArchivistError(f"show {show.id} has {len(show.vods)} VODs and none is named "
                                     f"like {media.name}: cannot tell which to chapter")
            elif vod is None:
                notes.append(f"show {show.id} has no VOD yet: chapters wait for it")
                return Publication(state=PublicationState.WAITING, notes=tuple(notes), **progress)
            elif transcript is None:
                notes.append("no transcript: chapters left as they are")
            else:
                wanted = [m.chapter for m in find_chapters(transcript)]
                stale = previous.chapters if previous and previous.vod_id == vod.id else ()
                progress["chapters"] = tuple(sync_chapters(self._platform, vod.id, wanted, stale))
                self._platform.publish_chapters(vod.id)
        except CablecastError as exc:
            if exc.refused_credentials:
                raise  # wrong for every recording: the caller stops and says so once
            return self._failed(media, exc, progress)
        except (ArchivistError, OSError) as exc:
            return self._failed(media, exc, progress)
        log.info("published", extra={"path": str(media), "show": progress.get("show_id"),
                                     "vod": progress.get("vod_id")})
        return Publication(state=PublicationState.PUBLISHED, notes=tuple(notes), **progress)

    def _failed(self, media: Path, exc: Exception, progress: dict[str, Any]) -> Publication:
        log.warning("publishing failed", extra={"path": str(media), "error": str(exc)})
        return Publication(state=PublicationState.FAILED, error=str(exc), **progress)

    def _show(self, show_id: int, reason: str) -> Show:
        try:
            return self._platform.show(show_id)
        except NotFound:
            raise NotFound(f"{reason}, but Cablecast has no show {show_id}") from None

    def _deliver(self, media: Path, city: CityPublishing, transcript: Transcript | None,
                 scc: str | None) -> str:
        """Put the SCC where Cablecast takes it; returns where that is."""
        beside = sidecar_path(media, "scc")
        if city.sidecar == "beside":
            if not self._library.exists(beside):
                text = self._scc(transcript, scc)
                if text is None:
                    raise ArchivistError(f"{beside}: no sidecar beside the video; caption it first")
                self._library.write_sidecar(beside, text)
            return str(beside)
        text = self._scc(transcript, scc)
        if text is None:
            if not self._library.exists(beside):
                raise ArchivistError(f"{beside}: no sidecar to upload; caption the recording first")
            text = self._library.read_text(beside)
        assert city.file_store is not None  # CityPublishing checks it
        upload = self._platform.upload_sidecar(beside.name, text.encode("utf-8"), city.file_store)
        return f"upload {upload} to file store {city.file_store}"

    def _scc(self, transcript: Transcript | None, scc: str | None) -> str | None:
        if scc is not None:
            return scc
        if transcript is None:
            return None
        return captions.render(transcript, ["scc"], self._settings)["scc"]


def vod_of(show: Show, media: Path) -> Vod | None:
    """The show's VOD made from this recording: same base name, else the show's only VOD."""
    named = [v for v in show.vods if v.file_name and Path(v.file_name).stem == media.stem]
    if named:
        return named[0]
    return show.vods[0] if len(show.vods) == 1 else None


def sync_chapters(platform: VodPlatform, vod_id: int, wanted: Sequence[Chapter],
                  stale: Sequence[Chapter] = ()) -> list[Chapter]:
    """Make the VOD carry `wanted` once each, adding only what it lacks; returns the chapters,
    with ids.

    Chapters someone added by hand are left alone; of `stale` (chapters an earlier publication
    made), those no longer wanted are deleted; and a wanted chapter found more than once (two
    publishes that raced, before they were serialized) keeps one copy, the one already known.
    """
    have = platform.chapters(vod_id)
    known = {c.id for c in stale}
    result: list[Chapter] = []
    for chapter in wanted:
        copies = sorted((c for c in have if c.same_place(chapter)),
                        key=lambda c: (c.id not in known, c.id or 0))
        result.append(copies[0] if copies else platform.add_chapter(vod_id, chapter))
        for extra in copies[1:]:
            if extra.id is not None:
                platform.delete_chapter(extra.id)
                have = [c for c in have if c.id != extra.id]
    kept_ids = {c.id for c in result}
    for old in stale:
        if old.id is not None and old.id not in kept_ids and any(c.id == old.id for c in have):
            platform.delete_chapter(old.id)
    return result
