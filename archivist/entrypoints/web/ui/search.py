"""/search?q=: where a thing was said, each result opening the video at that moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import render_template, request

from archivist.containers import Container
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog
    from archivist.domain.ports import TranscriptSearch


@blueprint.get("/search")
@inject
def search_page(index: TranscriptSearch = Provide[Container.search],
                catalog: Catalog = Provide[Container.catalog]) -> str:
    """Search form and results."""
    # Imported by the first request, with the domain's models: the process starts without them.
    from archivist.domain.search.passages import parse_query

    q = request.args.get("q", "")[:500]
    typed = request.args.get("city", "")[:100]
    city = catalog.city(typed).name if typed else None   # any case; 404 naming the cities
    query = parse_query(q)
    found = deadline.gather({
        "hits": ("database", lambda: index.search(query, city=city, limit=50) if not query.empty else []),
        "cities": ("configuration", catalog.cities)})
    return render_template("search.html", q=q, words=not query.empty, city=city or "",
                           groups=by_meeting(found["hits"].value or []),
                           problem=found["hits"].problem, cities=found["cities"].value or [])


@dataclass
class MeetingHits:
    """A meeting's hits, in the order the search ranked them: a recording's, or a live
    session's not yet replaced by its recording (`live_session` set)."""

    recording_id: int | None
    city: str
    path: str
    live_session: str | None = None
    hits: list[Any] = field(default_factory=list)


def by_meeting(hits: list[Any]) -> list[MeetingHits]:
    """Hits grouped by meeting, meetings in the order of their best hit."""
    groups: dict[tuple[Any, ...], MeetingHits] = {}
    for hit in hits:
        key = (hit.recording_id, hit.city, hit.live_session)
        group = groups.setdefault(key, MeetingHits(hit.recording_id, hit.city, str(hit.path),
                                                   hit.live_session))
        group.hits.append(hit)
    return list(groups.values())
