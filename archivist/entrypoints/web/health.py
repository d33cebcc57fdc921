"""GET /health: every gateway's status, for people and for load balancers."""

from __future__ import annotations

from typing import Any

from dependency_injector.wiring import Provide, inject
from flask import Blueprint, Response, current_app, jsonify

from archivist.containers import Container
from archivist.domain.deadline import Kept
from archivist.domain.health import GatewayHealth, Probe, Status, overall
from archivist.entrypoints.web.deadline import limits
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

    kept: Kept[list[GatewayHealth]] = current_app.extensions["archivist.health"]
    # The last report while a round runs; the first round is waited for up to web.deadline.
    seconds = limits().seconds
    report = kept.get(seconds, stale=True).value
    if report is None:   # the first round is still running: nothing has answered in time
        report = [GatewayHealth(name, Status.DOWN, f"no answer within {seconds:g}s (the probe "
                                "round goes on; ask again)", seconds) for name in _gateways()]
    status = overall(report)
    if current_app.config["ARCHIVIST_HEALTH_DETAIL"] or staff_or_token():
        gateways: list[dict[str, Any]] = [gateway.as_dict() for gateway in report]
    else:
        gateways = [{"name": g.name, "status": str(g.status)} for g in report]
    return ({"status": str(status), "gateways": gateways, "startup": startup.figures().as_dict()},
            503 if status is Status.DOWN else 200)


@inject
def _gateways(probes: list[Probe] = Provide[Container.probes]) -> list[str]:
    return [probe.name for probe in probes]
