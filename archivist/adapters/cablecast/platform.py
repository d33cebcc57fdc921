"""The VodPlatform port on Cablecast: shows with their VODs, chapters, sidecar uploads."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from archivist.adapters.cablecast import records
from archivist.adapters.cablecast.paging import collect
from archivist.adapters.cablecast.transport import CablecastClient
from archivist.adapters.cablecast.uploads import Uploads
from archivist.domain.errors import NotFound
from archivist.domain.publishing.vod import Chapter, Show


class CablecastPlatform:
    """Shows, VODs and chapters through the Cablecast API; writes are safe to repeat."""

    def __init__(self, client: CablecastClient, segment_size: int = 1 << 20,
                 upload_wait: float = 120.0, poll_every: float = 0.5) -> None:
        self._client = client
        self._uploads = Uploads(client, segment_size, upload_wait, poll_every)

    @property
    def enabled(self) -> bool:
        return self._client.enabled

    def find_shows(self, text: str, location: int | None = None) -> list[Show]:
        params: dict[str, Any] = {"search": text, "include": "vod"}
        if location is not None:
            params["location"] = location
        found = self._pages("shows", "shows", **params)
        vods = found.included.get("vods", {})
        return [self._show(r, vods) for r in found.records]

    def show(self, show_id: int) -> Show:
        body = self._client.get(f"shows/{show_id}", include="vod")
        record = records.one(body, "show", path=f"shows/{show_id}")
        sideloaded = body.get("vods") if isinstance(body, dict) and "show" in body else []
        return self._show(record, {v["id"]: v for v in sideloaded or []
                                   if isinstance(v, dict) and "id" in v})

    def chapters(self, vod_id: int) -> list[Chapter]:
        found = self._pages("chapters", "chapters", vod=vod_id)
        live = [records.chapter(r) for r in found.records if records.is_live_chapter(r, vod_id)]
        return sorted(live, key=lambda c: (c.offset, c.id or 0))

    def add_chapter(self, vod_id: int, chapter: Chapter) -> Chapter:
        # A POST that timed out may have made the chapter: look before posting again.
        def already() -> Chapter | None:
            return next((c for c in self.chapters(vod_id) if c.same_place(chapter)), None)

        made = self._client.post("chapters", records.chapter_body(vod_id, chapter),
                                 already=already)
        return made if isinstance(made, Chapter) else records.chapter(records.one(made, "chapter"))

    def update_chapter(self, vod_id: int, chapter: Chapter) -> Chapter:
        if chapter.id is None:
            raise ValueError("only a chapter with an id can be updated")
        body = self._client.put(f"chapters/{chapter.id}", records.chapter_body(vod_id, chapter))
        return records.chapter(records.one(body, "chapter")) if body else chapter

    def delete_chapter(self, chapter_id: int) -> None:
        try:
            self._client.delete(f"chapters/{chapter_id}")
        except NotFound:
            pass  # already gone: what deleting wanted

    def publish_chapters(self, vod_id: int, published: bool = True) -> None:
        vod = records.one(self._client.get(f"vods/{vod_id}"), "vod", path=f"vods/{vod_id}")
        if bool(vod.get("chaptersPublished")) == published:
            return
        self._client.put(f"vods/{vod_id}", {"vod": {**vod, "chaptersPublished": published}})

    def upload_sidecar(self, file_name: str, content: bytes, file_store: int) -> int:
        return self._uploads.send(file_name, content, file_store)

    def _pages(self, path: str, root: str, **params: Any):
        return collect(self._client.get, path, root, page_size=self._client.page_size,
                       max_pages=self._client.max_pages, **params)

    def _show(self, record: dict[str, Any], vods: dict[int, dict[str, Any]]) -> Show:
        """The show, fetching any VOD it names that did not come sideloaded."""
        show = records.show(record, vods)
        have = {v.id for v in show.vods}
        missing = [i for i in records.ids(record.get("vods")) if i not in have]
        fetched = tuple(records.vod(records.one(self._client.get(f"vods/{i}"), "vod"))
                        for i in missing)
        return replace(show, vods=show.vods + fetched) if fetched else show
