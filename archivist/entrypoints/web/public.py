"""What anonymous visitors see of the API: no server paths or hosts.

Residents read meetings through the same API staff use; for them a recording's path is its
file name, and which worker host ran a job is nobody's business.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from flask import Flask, Response, g, request

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.web import guard


def register(app: Flask) -> None:
    app.after_request(_redact_for_visitors)


def staff() -> bool:
    """True for signed-in staff and API tokens (remembered for the request)."""
    if "is_staff" not in g:
        try:
            g.is_staff = g.get("actor") is not None or guard.staff_or_token()
        except ArchivistError:   # the database cannot say who is asking: show the public view
            g.is_staff = False
    return bool(g.is_staff)


def _redact_for_visitors(response: Response) -> Response:
    if not request.path.startswith("/api/") or request.path.endswith("/openapi.json") \
            or response.mimetype != "application/json" \
            or response.direct_passthrough or staff():
        return response
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return response
    response.set_data(json.dumps(redact(body)))
    return response


def redact(value: Any, key: str = "") -> Any:
    """`value` with every path reduced to its file name and every worker host removed."""
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if key in ("path", "outputs") and isinstance(value, str):
        return PurePath(value).name
    if key == "worker" and isinstance(value, str):
        return None
    return value
