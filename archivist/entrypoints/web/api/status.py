"""/api/v1/health: every gateway's state, as /health reports it."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema, fields

from archivist.entrypoints.web.api.docs import PREFIX
from archivist.entrypoints.web.health import health_body

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
def health() -> tuple[dict[str, Any], int]:
    """ok, degraded or down for each gateway; with why and how long each check took for staff
    and API tokens (or everyone, with `web.health_detail` on)."""
    return health_body()
