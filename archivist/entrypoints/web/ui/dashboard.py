"""/: each city's latest recordings with their caption status, and whether its mount answers."""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import TYPE_CHECKING

from dependency_injector.wiring import Provide, inject
from flask import current_app, render_template

from archivist.containers import Container
from archivist.domain.deadline import Answer, Kept
from archivist.domain.errors import GatewayUnavailable
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog, Shelf
    from archivist.domain.models import City, MediaFile
    from archivist.domain.ports import MediaLibrary, Repository
    from archivist.domain.review.ports import Revisions

LATEST = 8
REVIEWS = 200   # review states fetched for the rows shown (newest recordings first)
# A mount's newest files are listed once per this many seconds, whoever asks: walking a
# mount is the dearest part of the page, and 32 people opening it at once walk it once.
# Their caption status is read from the database on every request.
LISTING_SECONDS = 5.0
_listings_lock = threading.Lock()


@blueprint.get("/")
@inject
def dashboard(catalog: Catalog = Provide[Container.catalog],
              repository: Repository = Provide[Container.repository],
              revisions: Revisions = Provide[Container.revisions],
              library: MediaLibrary = Provide[Container.library]) -> str:
    """The dashboard."""
    # Imported by the first request, with the domain's models: the process starts without them.
    from archivist.domain.models import JobState

    until = time.monotonic() + deadline.page_seconds()   # the whole page's
    configured = deadline.one("configuration", catalog.cities)
    cities = configured.value or []
    listings = {c.name: _listing(library, c) for c in cities}
    for kept in listings.values():
        kept.begin()   # every mount at once
    files = {name: kept.get(until - time.monotonic()) for name, kept in listings.items()}
    # The database apart from the mounts: a shelf that does not answer may be its mount or
    # the database, and the page should say which.
    found = deadline.gather({
        "database": ("database", lambda: repository.count_jobs(JobState.RUNNING)),
        # Review state of the newest recordings (machine, in review, approved), shown per row.
        "(reviews)": ("database", lambda: {r.recording_id: str(r.state)
                                         for r, _, _ in revisions.reviews(limit=REVIEWS)}),
        "(shelves)": ("database", lambda: {c.name: _shelf(catalog, c, files[c.name])
                                         for c in cities})}, seconds=max(0.0, until - time.monotonic()))
    database, shelves = found["database"], found["(shelves)"].value
    problem = found["(shelves)"].problem
    return render_template(
        "dashboard.html", cities=cities, reviews=found["(reviews)"].value or {},
        shelves={c.name: deadline.Outcome(shelves[c.name]) if shelves is not None
                 else deadline.Outcome(None, problem) for c in cities},
        running=database.value, problem=configured.problem or database.problem)


def _shelf(catalog: Catalog, city: City, listed: Answer[list[MediaFile] | str]) -> Shelf:
    from archivist.domain.catalog import Shelf

    if isinstance(listed.value, str) or listed.value is None:   # the mount did not answer
        return Shelf(city, (), listed.value if isinstance(listed.value, str)
                     else f"{city.name}: {listed.error}")
    return catalog.shelf_of(city, listed.value)


def _listing(library: MediaLibrary, city: City) -> Kept[list[MediaFile] | str]:
    """The city's newest files, listed at most once per LISTING_SECONDS (or why not)."""
    with _listings_lock:
        kept: dict[str, Kept[list[MediaFile] | str]] = \
            current_app.extensions.setdefault("archivist.listings", {})
        if city.name not in kept:
            kept[city.name] = Kept(partial(_newest, library, city), LISTING_SECONDS)
        return kept[city.name]


def _newest(library: MediaLibrary, city: City) -> list[MediaFile] | str:
    try:
        return library.recordings(city)[:LATEST]
    except GatewayUnavailable as exc:
        return exc.reason
