"""/api/v1/health: every gateway's state, as /health reports it."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema, fields
from dependency_injector.wiring import Provide, inject

from archivist.containers import Container
from archivist.domain.health import Status, overall
from archivist.entrypoints.web.api.docs import PREFIX

blueprint = APIBlueprint("api_health", __name__, url_prefix=PREFIX, tag="Health")


class Gateway(Schema):
    name = fields.String()
    status = fields.String()
    detail = fields.String()
    seconds = fields.Float()


class Health(Schema):
    status = fields.String(required=True)
    gateways = fields.List(fields.Nested(Gateway))


@blueprint.get("/health")
@blueprint.output(Health)
@blueprint.doc(responses={503: "A gateway is down"})
@inject
def health(report: Any = Provide[Container.health_report]) -> tuple[dict[str, Any], int]:
    """ok, degraded or down, for each gateway, with why and how long the check took."""
    status = overall(report)
    body = {"status": str(status), "gateways": [gateway.as_dict() for gateway in report]}
    return body, 503 if status is Status.DOWN else 200
