"""/api/v1/search: where in which meeting something was said."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject

from archivist.containers import Container
from archivist.domain.search.passages import parse_query
from archivist.entrypoints.web.api import schemas
from archivist.entrypoints.web.api.docs import PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog
    from archivist.domain.ports import TranscriptSearch

blueprint = APIBlueprint("api_search", __name__, url_prefix=PREFIX, tag="Search")


@blueprint.get("/search")
@blueprint.input(schemas.SearchQuery, location="query", arg_name="query")
@blueprint.output(schemas.SearchResults)
@blueprint.doc(responses=answers(400, 404, 503))
@inject
def search(query: dict[str, Any], index: TranscriptSearch = Provide[Container.search],
           catalog: Catalog = Provide[Container.catalog]) -> dict[str, Any]:
    """Passages that say every word and "phrase" of `q`, best first; `start` is the second
    the match is spoken. `city` in any case; 404 for no such city."""
    city = catalog.city(query["city"]).name if query.get("city") else None
    hits = index.search(parse_query(query["q"]), city=city, limit=query["limit"],
                        offset=query["offset"])
    return {"results": [hit.as_dict() for hit in hits]}
