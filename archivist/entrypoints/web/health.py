"""GET /health: every gateway's status, for people and for load balancers."""

from __future__ import annotations

from dependency_injector.wiring import Provide, inject
from flask import Blueprint, Response, jsonify

from archivist.containers import Container
from archivist.domain.health import GatewayHealth, Status, overall

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
@inject
def show(report: list[GatewayHealth] = Provide[Container.health_report]) -> tuple[Response, int]:
    """The health report; 503 when a gateway is down, so a balancer stops sending traffic."""
    status = overall(report)
    body = {"status": str(status), "gateways": [gateway.as_dict() for gateway in report]}
    return jsonify(body), 503 if status is Status.DOWN else 200
