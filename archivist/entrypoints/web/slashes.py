"""A page's address typed with a slash at the end (`/recordings/`, as flyers print addresses)
goes to the page instead of "no such URL"."""

from __future__ import annotations

from flask import Flask, Response, current_app, redirect, request
from werkzeug.exceptions import HTTPException, NotFound


def register(app: Flask) -> None:
    app.before_request(_without_the_slash)


def _without_the_slash() -> Response | None:
    """A 308 to the page the address names without its last slash, when there is one."""
    if (not isinstance(request.routing_exception, NotFound) or request.method not in ("GET", "HEAD")
            or not request.path.endswith("/") or request.path == "/"):
        return None
    page = request.path.rstrip("/")
    if not page.startswith("/") or page.startswith("//"):   # never a link to another host
        return None
    adapter = current_app.create_url_adapter(request)
    try:
        if adapter is None:
            return None
        adapter.match(page, method="GET")
    except HTTPException:
        return None
    query = request.query_string.decode("latin-1")
    return redirect(page + (f"?{query}" if query else ""), 308)  # type: ignore[return-value]
