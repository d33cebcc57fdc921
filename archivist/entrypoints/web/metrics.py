"""GET /metrics for Prometheus, and every request's latency by route.

Open to anyone who reaches the app while `web.metrics_public` is on (the default: figures
only, their labels never a path, an id or a secret); off, only an API token or signed-in staff
may read it, as a Prometheus `authorization: {credentials: <token>}` scrape does.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from dependency_injector.wiring import Provide, inject
from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import Unauthorized

from archivist.containers import Container
from archivist.entrypoints.web.deadline import limits

if TYPE_CHECKING:
    from archivist.adapters.prometheus.scrape import Scrape
    from archivist.domain.metrics import Metrics

blueprint = Blueprint("metrics", __name__)
UNMATCHED = "unmatched"   # the route label of a request no URL rule matched (404s)


@blueprint.get("/metrics")
@inject
def show(scrape: Scrape = Provide[Container.scrape]) -> Response:
    """The station's series in Prometheus' text format (or OpenMetrics, if asked)."""
    from archivist.entrypoints.web.guard import staff_or_token

    if not current_app.config["ARCHIVIST_METRICS_PUBLIC"] and not staff_or_token():
        raise Unauthorized("send `Authorization: Bearer <token>` (web.metrics_public is off)")
    # Gateway states come from the last probe round; a stale one starts anew in the
    # background, so a hung gateway is reported by the next scrape without holding this one.
    current_app.extensions["archivist.health"].begin()
    body, content_type = scrape.render(request.headers.get("Accept", ""), wait=limits().seconds)
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_served)


def _started() -> None:
    g.metrics_started = time.perf_counter()


@inject
def _served(response: Response, metrics: Metrics = Provide[Container.metrics]) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        rule = request.url_rule
        metrics.request_served(rule.rule if rule is not None else UNMATCHED, request.method,
                               response.status_code, time.perf_counter() - started)
    return response
