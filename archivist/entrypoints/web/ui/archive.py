"""/recordings and /cities/<name>: every meeting a city has, for anyone, newest first, with
paging and filters by body and dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import abort, render_template, request

from archivist.containers import Container
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.accuracy.service import Accuracy
    from archivist.domain.catalog import Catalog
    from archivist.domain.meetings.archive import Archive


@blueprint.get("/recordings")
def all_recordings() -> Any:
    """Every city's meetings together."""
    return _archive(None)


@blueprint.get("/cities/<string(maxlength=100):name>")
def city_archive(name: str) -> Any:
    """One city's meetings."""
    return _archive(name)


@blueprint.app_context_processor
def _meeting_names() -> dict[str, Any]:
    return {"meeting_of": _meeting_of}


@inject
def _meeting_of(city: str, path: Any, archive: Archive = Provide[Container.archive]) -> Any:
    """A recording's meeting name (title, body, date) from its file name."""
    return archive.name(city or "", str(path or ""))


@inject
def _archive(city: str | None, archive: Archive = Provide[Container.archive],
             catalog: Catalog = Provide[Container.catalog],
             accuracy: Accuracy = Provide[Container.accuracy]) -> Any:
    wanted: dict[str, Any] = {"body": request.args.get("body", "")[:200],
              "since": _day(request.args.get("since")), "until": _day(request.args.get("until")),
              "page": max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))}
    bad = [k for k in ("since", "until") if request.args.get(k) and wanted[k] is None]
    if bad:
        abort(400, f"{' and '.join(bad)}: expected a date like 2026-11-03")
    if city is not None:   # /cities/riverton is Riverton's; a city not configured is a 404
        city = catalog.city(city).name
    found = deadline.gather({
        "page": ("database", lambda: archive.page(city, body=wanted["body"] or None,
                                                  since=wanted["since"], until=wanted["until"],
                                                  page=wanted["page"])),
        "cities": ("configuration", catalog.cities),
        "accuracy": ("database", lambda: accuracy.cities().get(city) if city else None)})
    return render_template("archive.html", city=city, shown=found["page"].value, wanted=wanted,
                           cities=found["cities"].value or [], problem=found["page"].problem,
                           accuracy=found["accuracy"].value,
                           args={k: v for k, v in request.args.items() if k != "page"})


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
