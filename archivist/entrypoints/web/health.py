"""GET /health: every gateway's status, for people and for load balancers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from archivist.domain.health import Status, overall
from archivist.entrypoints.web.health_cache import HealthCache
from archivist.providers import startup

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def show() -> tuple[Response, int]:
    """The health report, and this process's start-up timing; 503 when a gateway is down, so
    a balancer stops sending traffic.

    Anyone gets each gateway's status. The detail (paths, hosts, driver text) is for staff and
    API tokens, or for everyone when `web.health_detail` is on.
    """
    body, code = health_body()
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, code


def health_body() -> tuple[dict[str, Any], int]:
    """The (cached) health report as JSON, with detail for those allowed it; and its status."""
    from archivist.entrypoints.web.guard import staff_or_token

    cache: HealthCache = current_app.extensions["archivist.health"]
    report = cache.report()
    status = overall(report)
    if current_app.config["ARCHIVIST_HEALTH_DETAIL"] or staff_or_token():
        gateways: list[dict[str, Any]] = [gateway.as_dict() for gateway in report]
    else:
        gateways = [{"name": g.name, "status": str(g.status)} for g in report]
    return ({"status": str(status), "gateways": gateways, "startup": startup.figures().as_dict()},
            503 if status is Status.DOWN else 200)
