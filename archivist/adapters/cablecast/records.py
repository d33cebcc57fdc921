"""Cablecast's JSON records to the domain's Show, Vod and Chapter, and back.

Envelopes: one record under its singular root (`{"show": {...}}`), collections under the plural
root. Where the API's shapes are only guessed at, reading is tolerant: a bare record, ids or
embedded objects, missing fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from archivist.domain.errors import CablecastError
from archivist.domain.publishing.vod import Chapter, Show, Vod


def one(body: Any, root: str, method: str = "GET", path: str = "") -> dict[str, Any]:
    """The record under a singular root (or the body itself when it is a bare record)."""
    if isinstance(body, dict):
        record = body.get(root)
        if isinstance(record, dict):
            return record
        if "id" in body:
            return body
    raise CablecastError(method, path or root, 200, f"answer has no {root!r} record")


def ids(value: Any) -> list[int]:
    """Ids from a list of ids or of embedded records."""
    out = []
    for item in value or []:
        item = item.get("id") if isinstance(item, dict) else item
        if isinstance(item, int):
            out.append(item)
    return out


def vod(record: dict[str, Any]) -> Vod:
    return Vod(id=int(record["id"]), show_id=_int(record.get("show")),
               file_name=str(record.get("fileName") or ""), url=str(record.get("url") or ""),
               state=str(record.get("vodState") or ""),
               chapters_published=bool(record.get("chaptersPublished")))


def show(record: dict[str, Any], vods: dict[int, dict[str, Any]]) -> Show:
    """A show with the VODs among `vods` (sideloaded records by id) that it names."""
    embedded = {v["id"]: v for v in record.get("vods") or [] if isinstance(v, dict) and "id" in v}
    known = {**vods, **embedded}
    return Show(id=int(record["id"]), title=str(record.get("title") or ""),
                event_date=_when(record.get("eventDate")), location=_int(record.get("location")),
                vods=tuple(vod(known[i]) for i in ids(record.get("vods")) if i in known))


def chapter(record: dict[str, Any]) -> Chapter:
    return Chapter(offset=int(record.get("offset") or 0), title=str(record.get("title") or ""),
                   body=str(record.get("body") or ""), id=_int(record.get("id")))


def is_live_chapter(record: dict[str, Any], vod_id: int) -> bool:
    """A chapter of this VOD that is not (soft-)deleted."""
    return _int(record.get("vod")) in (None, vod_id) and not record.get("deleted")


def chapter_body(vod_id: int, mark: Chapter) -> dict[str, Any]:
    """The request body for a new or changed chapter."""
    fields: dict[str, Any] = {"vod": vod_id, "title": mark.title, "body": mark.body,
                              "offset": int(mark.offset), "quickAdded": False, "deleted": False,
                              "hidden": False}
    if mark.id is not None:
        fields["id"] = mark.id
    return {"chapter": fields}


def _int(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
