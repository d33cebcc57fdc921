"""The production WSGI server (waitress), answering its own refusals in the app's shape.

Waitress refuses some requests before the app sees them: a body over the cap (413), headers
too large (431), a request it cannot parse (400). Those answers carry the same JSON error body
and security headers as the app's own, instead of waitress's plain text.
"""

from __future__ import annotations

import json
from typing import Any

from archivist.entrypoints.web.headers import HEADERS


def create_server(app: Any, host: str, port: int, threads: int, max_body: int) -> Any:
    """A waitress server for `app` on host:port (OSError or ValueError when it cannot listen)."""
    import waitress.server
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class JsonErrorTask(ErrorTask):
        def execute(self) -> None:
            request: Any = self.request
            status, headers, body = json_refusal(request.error)
            self.status = status
            self.response_headers = [*self.response_headers, *headers]
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class Channel(HTTPChannel):
        error_task_class = JsonErrorTask

    server: Any = waitress.server.create_server(
        app, host=host, port=port, threads=threads,
        ident="",  # no Server header: it tells an attacker which server to look up
        max_request_body_size=max_body)
    # One server, or (a host with several addresses) several sharing one map.
    listeners = [server] if not hasattr(server, "effective_listen") else list(server.map.values())
    for listener in listeners:
        if hasattr(listener, "channel_class"):
            listener.channel_class = Channel
    return server


def json_refusal(error: Any) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers and body for one of waitress's errors."""
    code, name = int(error.code), str(error.reason)
    message = {413: "the request body is larger than web.max_body_mb allows",
               431: "the request headers are too large"}.get(code, str(error.body) or name)
    body = json.dumps({"error": {"code": code, "name": name, "message": message}}).encode()
    headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
               *HEADERS.items()]
    return f"{code} {name}", headers, body
