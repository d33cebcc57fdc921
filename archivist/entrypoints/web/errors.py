"""Errors as JSON: every failed request says, in its body, what was wrong."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from archivist.domain.errors import GatewayUnavailable

log = logging.getLogger("archivist.web")


def register(app: Flask) -> None:
    """Answer HTTP errors and unavailable backends with JSON instead of HTML pages."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(GatewayUnavailable, _gateway_unavailable)


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    code = exc.code or 500
    if isinstance(exc, NotFound):
        message = f"no such URL: {request.path}"
    elif isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(sorted(exc.valid_methods or ()))
        message = f"{request.method} is not allowed on {request.path}; allowed: {allowed}"
    elif code >= 500:
        # Flask has already logged the traceback; the client gets no internals.
        message = "internal error; the server log has the details"
    else:
        # Flask re-raises a bare BadRequest (e.g. for malformed JSON) from the specific one;
        # the specific one says what was wrong with the client's own request.
        cause = exc.__cause__
        specific = cause.description if isinstance(cause, HTTPException) else None
        message = specific or exc.description or exc.name
    response, code = _error(code, exc.name, message)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response, code


def _gateway_unavailable(exc: GatewayUnavailable) -> tuple[Response, int]:
    log.warning("event=gateway_unavailable gateway=%s path=%s reason=%r",
                exc.gateway, request.path, exc.reason)
    return _error(503, "Service Unavailable", str(exc))


def _error(code: int, name: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "name": name, "message": message}}), code
