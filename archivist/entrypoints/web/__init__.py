"""The web app: `create_app()` builds a Flask app over its own container.

Building the app connects to nothing: gateways are built by the container on first use,
so an app whose database or Redis is down still starts and reports it on /health.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response

from archivist import containers
from archivist.entrypoints.web import errors, health
from archivist.entrypoints.web.health_cache import HealthCache

# Modules whose views take services from the container; wired one by one, never by package.
VIEWS = (health,)


def create_app(config: dict[str, Any] | None = None,
               container: containers.Container | None = None) -> Flask:
    """Build the app over `container`, or over a new one from `config` (default: the effective config)."""
    if container is None:
        container = containers.build(config)
    app = Flask(__name__)
    app.container = container  # type: ignore[attr-defined]  # where views and tests find it
    # An empty key leaves sessions off (Flask refuses to sign) rather than signing with "".
    app.config["SECRET_KEY"] = container.config.secret_key() or None
    web = container.config.web()
    # Requests larger than this are refused (413) before a view reads them.
    app.config["MAX_CONTENT_LENGTH"] = int(web["max_body_mb"] * 1024 * 1024)
    app.config["ARCHIVIST_HEALTH_DETAIL"] = bool(web["health_detail"])
    app.extensions["archivist.health"] = HealthCache(
        container.health_report, float(container.config.health.cache_seconds()))
    container.wire(modules=list(VIEWS))
    for view in VIEWS:
        app.register_blueprint(view.blueprint)
    errors.register(app)
    app.after_request(security_headers)
    return app


def security_headers(response: Response) -> Response:
    """Headers every response carries: no sniffing, no framing, no referrer, own origin only."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response
