"""/status: every gateway's state and latency, as a page (details for staff); the favicon."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import current_app, render_template, send_from_directory

from archivist.containers import Container
from archivist.domain.health import overall
from archivist.entrypoints.live_report import reports
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.public import detail
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from collections.abc import Callable

    from archivist.domain.health import GatewayHealth


@blueprint.get("/status")
@inject
def status_page(report: Callable[..., list[GatewayHealth]] = Provide[Container.health_report.provider],
                cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                folder: Callable[..., Any] = Provide[Container.live_folder.provider]) -> str:
    """The health page: probes run at once, each cut off so the page is quick; and each city's
    live session (from its files in the data dir). Why a gateway or a session is in trouble
    (paths, hosts, driver text) is for staff, or everyone with web.health_detail on."""
    seconds = deadline.page_seconds()
    found = deadline.one("health probes", lambda: report(deadline=seconds), seconds=seconds + 0.4)
    gateways = found.value or []
    return render_template("status.html", gateways=[g.as_dict() for g in gateways],
                           live=reports(cities, folder),
                           overall=str(overall(gateways)) if gateways else "unknown",
                           show_detail=detail(),
                           problem=found.problem)


@blueprint.get("/favicon.ico")
def favicon() -> Any:
    """The site's icon, for browsers that ask for it at the conventional address."""
    return send_from_directory(current_app.static_folder or "static", "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)
