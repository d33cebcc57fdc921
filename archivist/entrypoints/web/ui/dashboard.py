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

LATEST = 8


@blueprint.get("/")
@inject
def dashboard(catalog: Catalog = Provide[Container.catalog],
              repository: Repository = Provide[Container.repository]) -> str:
    """The dashboard."""
    cities = deadline.one("configuration", catalog.cities)
    # The database on its own too: a shelf that does not answer may be its mount or the
    # database, and the page should say which.
    found = deadline.gather({
        "database": ("database", lambda: repository.count_jobs(JobState.RUNNING)),
        **{c.name: (c.name, partial(catalog.shelf, c, LATEST)) for c in (cities.value or [])}})
    database = found.pop("database")
    return render_template("dashboard.html", cities=cities.value or [], shelves=found,
                           running=database.value, problem=cities.problem or database.problem)
