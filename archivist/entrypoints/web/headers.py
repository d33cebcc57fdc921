"""Security headers on every response, pages and API alike."""

from __future__ import annotations

from flask import Flask, Response, request

# Everything from this server only: no inline script, no framing, no plugins.
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
          "form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# Browsers honour Cross-Origin-Opener-Policy only from a trustworthy origin (HTTPS, or this
# machine by name); from `http://<lan address>` Chromium ignores it and logs an error on every
# page, which is all a station served on its LAN would get from it.
_OPENER = ("Cross-Origin-Opener-Policy", "same-origin")
_LOOPBACK = ("localhost", "127.", "[::1]")


def register(app: Flask) -> None:
    app.after_request(_add)


def _add(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure or request.host.startswith(_LOOPBACK):
        response.headers.setdefault(*_OPENER)
    if response.mimetype == "application/json" or response.status_code >= 400:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
