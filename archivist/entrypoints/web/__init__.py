"""The web app: `create_app()` builds a Flask app over its own container: the pages, /health and
/metrics at once, the REST API (APIFlask, its schemas and OpenAPI document) on its first request.

Building the app connects to nothing: gateways are built by the container on first use,
so an app whose database or Redis is down still starts and reports it on /health.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from flask import Flask, session

from archivist import containers
from archivist.domain.deadline import Kept
from archivist.entrypoints.web import (
    audit,
    cookies,
    csrf,
    deadline,
    errors,
    guard,
    headers,
    health,
    inputs,
    login,
    metrics,
    public,
    rules,
    slashes,
)
from archivist.entrypoints.web.api import app as api_app
from archivist.entrypoints.web.ratelimit import RateLimits
from archivist.entrypoints.web.ui import MODULES as PAGES
from archivist.entrypoints.web.ui import blueprint as pages
from archivist.entrypoints.web.ui.format import FILTERS
from archivist.providers import startup

# Modules whose views take services from the container; wired one by one, never by package
# (the API's modules are wired when the API app is built: api/app.py).
VIEWS = (health, metrics, login)
WIRED = (*VIEWS, *PAGES, guard, audit)


def create_app(config: dict[str, Any] | None = None,
               container: containers.Container | None = None) -> Flask:
    """Build the app over `container`, or over a new one from `config` (default: the effective config)."""
    if container is None:
        container = containers.build(config)
    web = container.config.web()
    app = Flask(__name__)
    app.url_rule_class = rules.BuiltOnFirstUse
    app.container = container  # type: ignore[attr-defined]  # where views and tests find it
    app.config.update(
        # An empty key leaves sessions off (Flask refuses to sign) rather than signing with "".
        SECRET_KEY=container.config.secret_key() or None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(web.get("session_hours", 12))),
        # Requests larger than this are refused (413) before a view reads them.
        MAX_CONTENT_LENGTH=int(web["max_body_mb"] * 1024 * 1024),
        ARCHIVIST_HEALTH_DETAIL=bool(web["health_detail"]),
        ARCHIVIST_METRICS_PUBLIC=bool(web.get("metrics_public", True)),
    )
    # One probe round at a time, its result kept a few seconds: /health cannot tie up the server.
    app.extensions["archivist.health"] = Kept(container.health_report,
                                              float(container.config.health.cache_seconds()))
    deadline.register(app, deadline.Limits(float(web["deadline"]), int(web["waiting_per_gateway"]),
                                           float(container.config.worker.enqueue_timeout()),
                                           float(web["work_deadline"])))
    app.extensions["archivist.rate_limits"] = RateLimits({
        "login": int(web.get("login_per_minute", 10)),
        "changes": int(web.get("changes_per_minute", 120)),
    })
    # The API app is reached through the pages app's WSGI stack (trusted proxies, below).
    dispatch = api_app.ApiOnFirstRequest(
        app.wsgi_app, functools.partial(api_app.build, app, container, _common))
    app.wsgi_app = dispatch  # type: ignore[method-assign]
    app.url_build_error_handlers.append(dispatch.url_for)   # pages link to caption downloads
    cookies.register(app, web.get("secure_cookies", "auto"), web.get("trusted_proxies", []))
    container.wire(modules=list(WIRED))
    startup.mark("web", "container")
    for view in VIEWS:
        app.register_blueprint(view.blueprint)
    app.register_blueprint(pages)
    slashes.register(app)
    _common(app)
    startup.mark("web", "ready")
    return app


def _common(app: Flask) -> None:
    """What the pages app and the API app both do around every request."""
    _bound_views(app)
    app.jinja_env.filters.update(FILTERS)
    metrics.register(app)   # first: its timing includes the guard's checks
    guard.register(app)
    inputs.register(app)   # after the guard: a stranger's body is not worth reading
    headers.register(app)
    public.register(app)
    errors.register(app)
    audit.register(app)   # records accepted changes, after the answer is known
    app.context_processor(_page_context)


# Requests that do real work while staff wait (a password hashed; a recording hashed to find its
# job; a show published; a 3-hour transcript read whole for the editor, or a correction rendered
# into every caption file): bounded by web.work_deadline rather than the page deadline.
WORK = frozenset({"pages.login", "pages.logout"})
WORK_BLUEPRINTS = ("api_review.", "api_jobs.", "api_publications.")
WORK_READS = ("api_review.",)   # reads that are work too: a whole transcript for the editor


def _bound_views(app: Flask) -> None:
    """The API's views (blueprints named api_*) and logging in read the database in their
    views: each runs under web.deadline (pages bound each backend call themselves; /health and
    /metrics wait on kept answers)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("api_") or endpoint in WORK:
            work = endpoint in WORK or endpoint.startswith(WORK_BLUEPRINTS)
            app.view_functions[endpoint] = deadline.bounded_view(
                view, "database", work=work, work_reads=endpoint.startswith(WORK_READS))


def _page_context() -> dict[str, Any]:
    return {"csrf_token": csrf.token, "staff_name": session.get("staff_name"),
            "is_staff": public.staff}


startup.mark("web", "import")
