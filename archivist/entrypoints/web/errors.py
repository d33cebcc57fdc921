"""Errors as JSON: every failed request says, in its body, what was wrong, and never how the
code broke (no stack trace, no internals)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from archivist.domain import errors as domain
from archivist.domain.paths import OutsideLibrary
from archivist.entrypoints.web.deadline import RETRY_AFTER

log = logging.getLogger("archivist.web")

# What a refusal from the domain means over HTTP; the first matching class wins.
STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (domain.NotFound, 404, "Not Found"),
    (domain.Conflict, 409, "Conflict"),
    (domain.MediaError, 422, "Unprocessable Content"),
    (OutsideLibrary, 403, "Forbidden"),
    (domain.ArchivistError, 400, "Bad Request"),
)


def register(app: Flask) -> None:
    """Answer HTTP errors, refusals and unavailable backends with JSON instead of HTML pages."""
    if hasattr(app, "error_processor"):   # APIFlask: its validation errors in the same shape
        # First: APIFlask also claims werkzeug's errors here, and ours below take them back.
        app.error_processor(_validation_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(domain.GatewayUnavailable, _gateway_unavailable)
    app.register_error_handler(domain.ArchivistError, _refused)


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    code = exc.code or 500
    if isinstance(exc, NotFound):
        # A route that found nothing says what (abort(404, why)); an unknown URL says so.
        why = exc.description if exc.description != NotFound.description else None
        message = why or f"no such URL: {request.path}"
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
        # webargs (under APIFlask) says what was wrong in `data`, e.g. an unreadable JSON body.
        said = (getattr(exc, "data", None) or {}).get("messages")
        message = ("; ".join(_flatten(said)) if said else None) or specific or exc.description \
            or exc.name
    response, code = error(code, exc.name, message)
    for name, value in exc.get_headers():
        if name.lower() in ("allow", "www-authenticate", "retry-after"):
            response.headers[name] = value
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response, code


def _gateway_unavailable(exc: domain.GatewayUnavailable) -> tuple[Response, int]:
    log.warning("gateway unavailable", extra={"gateway": exc.gateway, "url": request.path,
                                              "reason": exc.reason})
    response, code = error(503, "Service Unavailable", str(exc))
    response = make_response(response, code)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response, code


def _refused(exc: domain.ArchivistError) -> tuple[Response, int]:
    code, name = next((c, n) for kind, c, n in STATUS if isinstance(exc, kind))
    return error(code, name, str(exc))


def _validation_error(exc: Any) -> tuple[Response, int, Any]:
    """APIFlask's HTTPError (a request that failed its schema, mostly) in our shape."""
    code = int(exc.status_code)
    message = exc.message or "invalid request"
    detail = exc.detail or {}
    if detail:
        message = f"{message}: " + "; ".join(_flatten(detail))
    response, code = error(code, _reason(code), message, detail or None)
    return response, code, exc.headers


def _flatten(detail: Any, where: str = "") -> list[str]:
    if isinstance(detail, dict):
        return [line for key, value in detail.items()
                for line in _flatten(value, f"{where}.{key}" if where else str(key))]
    if isinstance(detail, list) and all(isinstance(d, str) for d in detail):
        return [f"{where}: {' '.join(detail)}"]
    return [f"{where}: {detail}"]


def _reason(code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


def error(code: int, name: str, message: str, detail: Any = None) -> tuple[Any, int]:
    """The one shape of every error answer (a page, for a browser asking for a page)."""
    if _wants_page():
        return make_response(render_template("error.html", code=code, name=name,
                                             message=message)), code
    body: dict[str, Any] = {"code": code, "name": name, "message": message}
    if detail is not None:
        body["detail"] = detail
    return jsonify({"error": body}), code


def _wants_page() -> bool:
    if request.path.startswith("/api/") or request.path == "/health":
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"
