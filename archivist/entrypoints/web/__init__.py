"""The web app: `create_app()` builds a Flask app over its own container.

Building the app connects to nothing: gateways are built by the container on first use,
so an app whose database or Redis is down still starts and reports it on /health.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from archivist import containers
from archivist.entrypoints.web import errors, health

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
    container.wire(modules=list(VIEWS))
    for view in VIEWS:
        app.register_blueprint(view.blueprint)
    errors.register(app)
    return app
