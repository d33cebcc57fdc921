"""The REST API's own Flask app (APIFlask: schemas, validation, the OpenAPI document), built
when the first request under /api/ arrives.

The pages and /health never pay for marshmallow, apispec and pydantic: a web process that is
only asked for its health starts at about the cost of Flask itself (bench/startup.py). The API
app shares the pages app's configuration, extensions (health cache, rate limits) and container,
so a staff session or a token works the same on both.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flask import Flask, has_request_context, request

from archivist.entrypoints.web.api.docs import PREFIX

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from archivist.containers import Container


def modules() -> tuple[ModuleType, ...]:
    """The API's modules, one per resource (importing them imports the schemas)."""
    from archivist.entrypoints.web.api import (
        audit_log,
        cities,
        jobs,
        live,
        publications,
        review,
        search,
        status,
        transcripts,
    )

    return (jobs, cities, review, audit_log, transcripts, publications, search, status, live)


def build(pages: Flask, container: Container, common: Callable[[Flask], None]) -> Flask:
    """The API app over the pages app's configuration and extensions, its views wired."""
    from apiflask import APIFlask

    from archivist.entrypoints.web.api.docs import SECURITY_SCHEMES, finish
    from archivist.entrypoints.web.api.schemas import ErrorBody

    # APIFlask meets the Job schema nested (in lists) before on its own, and says so once per
    # process; the document stays valid (the second name is an alias of the first).
    warnings.filterwarnings("ignore", message=r".*has already been added to the spec",
                            module="apispec")
    api = APIFlask(pages.import_name, title="Archivist", version="1",
                   spec_path=f"{PREFIX}/openapi.json", docs_path=None, json_errors=False)
    for key, value in api.config.items():    # APIFlask's own defaults, under the pages' settings
        pages.config.setdefault(key, value)
    api.config = pages.config
    pages.config.update(
        OPENAPI_VERSION="3.0.3",
        VALIDATION_ERROR_STATUS_CODE=400,
        HTTP_ERROR_SCHEMA=ErrorBody,
        VALIDATION_ERROR_SCHEMA=ErrorBody,
        # Relative: the server is wherever the document was read. APIFlask would otherwise
        # name the address of the first request it answered, kept for every later reader.
        SERVERS=[{"url": "/"}],
        INFO={"description": "Caption public-meeting recordings, follow the queue, and search "
                             "what was said. Changes need a bearer token or a staff session."},
    )
    api.extensions = pages.extensions
    api.session_interface = pages.session_interface   # the same staff sessions, the same cookies
    api.container = container  # type: ignore[attr-defined]  # where views and tests find it
    api.security_schemes = SECURITY_SCHEMES
    api.spec_processor(finish)
    container.wire(modules=list(modules()))
    for module in modules():
        api.register_blueprint(module.blueprint)
    common(api)
    api.url_build_error_handlers.append(functools.partial(_page_url, pages))
    return api


def _page_url(pages: Flask, error: Exception, endpoint: str, values: dict[str, Any]) -> str:
    """The API's link to a page (a 401 names the login page; the pages app owns its routes)."""
    if endpoint.startswith("api_"):
        raise error
    return _build(pages, endpoint, values)


def _build(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    """`endpoint`'s URL in `app`, from url_for's arguments (its _anchor, _external... dropped:
    these links are relative and plain)."""
    plain = {k: v for k, v in values.items() if not k.startswith("_")}
    adapter = (app.url_map.bind_to_environ(request.environ) if has_request_context()
               else app.url_map.bind("localhost"))
    return adapter.build(endpoint, plain)


class ApiOnFirstRequest:
    """WSGI middleware: requests under /api/ go to the API app, built on the first of them."""

    def __init__(self, pages: WSGIApplication, build: Callable[[], Flask]) -> None:
        self._pages = pages
        self._build = build
        self._api: Flask | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/api" or path.startswith("/api/"):
            return self.api().wsgi_app(environ, start_response)
        return self._pages(environ, start_response)

    def api(self) -> Flask:
        with self._lock:
            if self._api is None:
                self._api = self._build()
            return self._api

    def url_for(self, error: Exception, endpoint: str, values: dict[str, Any]) -> str:
        """A page's link to an API endpoint (the pages app does not know the API's routes)."""
        if not endpoint.startswith("api_"):
            raise error
        return _build(self.api(), endpoint, values)

    def __getattr__(self, name: str) -> Any:   # the pages app's wsgi_app, for whoever asks
        return getattr(self._pages, name)
