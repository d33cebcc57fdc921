"""Reading a whole Cablecast collection through `offset`/`page_size` paging.

Two things make naive paging lose or repeat records: servers cap `page_size` (ask for 100, get
25), and `offset` is documented as a record index while some of Tightrope's own code sends a
page number. So: page by record index, advance by what actually came back, de-duplicate by id,
and stop on an empty page, a page with nothing new, a page shorter than the longest one seen,
or once `meta.count` records are in hand. If the server answers an index with an empty page
while `meta.count` says records remain, it is taken to count pages, and paging goes on that way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# GET a path with params, returning the JSON body.
Get = Callable[..., Any]


@dataclass
class Collected:
    """A collection's records in server order, and the records sideloaded along with them."""

    records: list[dict[str, Any]] = field(default_factory=list)
    included: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    pages: int = 0


def collect(get: Get, path: str, root: str, page_size: int = 100, max_pages: int = 1000,
            **params: Any) -> Collected:
    """Every record of the collection `root` at `path`, each once."""
    out = Collected()
    seen: set[Any] = set()
    by_page_number = False
    offset, full_pages, longest = 0, 0, 0
    while out.pages < max_pages:
        body = get(path, **params, offset=offset, page_size=page_size) or {}
        out.pages += 1
        page = [r for r in body.get(root) or [] if isinstance(r, dict)]
        _include(out, body, root)
        fresh = [r for r in page if r.get("id") not in seen]
        seen.update(r.get("id") for r in fresh)
        out.records.extend(fresh)
        count = _count(body)
        if count is not None and len(out.records) >= count:
            break
        ended = not page or len(page) < longest
        if ended or (not fresh and not by_page_number):
            if by_page_number or count is None or not full_pages:
                break
            # Empty (or stale) at a record index though records remain: the server counts pages.
            by_page_number = True
            offset = full_pages
            continue
        longest = max(longest, len(page))
        full_pages += 1
        offset = full_pages if by_page_number else offset + len(page)
    return out


def _count(body: dict[str, Any]) -> int | None:
    meta = body.get("meta")
    count = meta.get("count") if isinstance(meta, dict) else None
    return count if isinstance(count, int) and count >= 0 else None


def _include(out: Collected, body: dict[str, Any], root: str) -> None:
    """Keep sideloaded records (every other top-level list of records) by root and id."""
    for key, value in body.items():
        if key in (root, "meta") or not isinstance(value, list):
            continue
        bucket = out.included.setdefault(key, {})
        for record in value:
            if isinstance(record, dict) and "id" in record:
                bucket[record["id"]] = record
