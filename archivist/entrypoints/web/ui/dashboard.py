"""/: each city's latest recordings with their caption status, and whether its mount answers."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from dependency_injector.wiring import Provide, inject
from flask import render_template

from archivist.containers import Container
from archivist.domain.models import JobState
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog
    from archivist.domain.ports import Repository
    from archivist.domain.review.ports import Revisions

LATEST = 8
REVIEWS = 200   # review states fetched for the rows shown (newest recordings first)


@blueprint.get("/")
@inject
def dashboard(catalog: Catalog = Provide[Container.catalog],
              repository: Repository = Provide[Container.repository],
              revisions: Revisions = Provide[Container.revisions]) -> str:
    """The dashboard."""
    cities = deadline.one("configuration", catalog.cities)
    # The database on its own too: a shelf that does not answer may be its mount or the
    # database, and the page should say which.
    found = deadline.gather({
        "database": ("database", lambda: repository.count_jobs(JobState.RUNNING)),
        # Review state of the newest recordings (machine, in review, approved), shown per row.
        "(reviews)": ("database", lambda: {r.recording_id: str(r.state)
                                         for r, _, _ in revisions.reviews(limit=REVIEWS)}),
        **{c.name: (c.name, partial(catalog.shelf, c, LATEST)) for c in (cities.value or [])}})
    database = found.pop("database")
    reviews = found.pop("(reviews)").value or {}
    return render_template("dashboard.html", cities=cities.value or [], shelves=found,
                           reviews=reviews,
                           running=database.value, problem=cities.problem or database.problem)
