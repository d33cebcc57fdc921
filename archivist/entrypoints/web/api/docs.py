"""What the OpenAPI document says about who may call an endpoint and what it may answer."""

from __future__ import annotations

from typing import Any

PREFIX = "/api/v1"
# A change needs a bearer token, or a staff session with its CSRF token in X-CSRF-Token.
CHANGE: list[str | dict[str, list[Any]]] = ["bearerAuth", "staffSession"]
SECURITY_SCHEMES: dict[str, Any] = {
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "A token from `archivist token create NAME`."},
    "staffSession": {"type": "apiKey", "in": "cookie", "name": "session",
                     "description": "A staff login; send the page's CSRF token as X-CSRF-Token."},
}


def answers(*codes: int) -> dict[int, str]:
    """The error answers an endpoint may give, described once for all."""
    said = {400: "The request is malformed", 401: "No valid token or staff session",
            403: "Refused (a path outside the city mounts, or a missing CSRF token)",
            404: "No such thing", 409: "Its state does not allow that",
            422: "The file is not usable media", 429: "Too many requests; wait and retry",
            503: "A backend the answer needs is unreachable"}
    return {code: said[code] for code in codes}


def finish(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    """Last touches to the generated document: a JSON body the schema asks for is required
    (APIFlask leaves `requestBody.required` out, which would make an empty POST valid)."""
    if isinstance(spec, str):   # a YAML document: only JSON is served here
        return spec
    for url, path in spec.get("paths", {}).items():
        for method, operation in path.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
            if isinstance(operation, dict) and (method, url.rsplit("/", 1)[-1]) in IF_MATCH:
                required = IF_MATCH[(method, url.rsplit("/", 1)[-1])]
                operation.setdefault("parameters", []).append({
                    "name": "If-Match", "in": "header", "required": required,
                    "description": 'The revision the change was made from, e.g. "3" (the ETag '
                                   "of GET .../transcript); a stale one is answered 409.",
                    "schema": {"type": "string", "pattern": REVISION_TAG}})
    return spec


# Review's changes that name the revision they were made from: (method, last part of the
# path) → whether If-Match is required.
IF_MATCH = {("put", "transcript"): True, ("post", "restore"): False,
            ("post", "approve"): False}
REVISION_TAG = r'^(W/)?"?[1-9][0-9]{0,8}"?$'

