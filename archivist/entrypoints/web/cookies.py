"""The session cookie on a station's LAN: Secure when the request came over HTTPS (`auto`),
and what a proxy says about that believed only from the proxies staff listed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix


def mode(value: Any) -> str:
    """`web.secure_cookies` as one of auto, true, false."""
    text = str(value).strip().lower()
    return text if text in ("true", "false") else "auto"


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure by the setting (auto: by the request's scheme)."""

    def __init__(self, secure: str) -> None:
        self.secure = secure

    def get_cookie_secure(self, app: Flask) -> bool:
        if self.secure == "auto":
            return has_request_context() and request.is_secure
        return self.secure == "true"


def register(app: Flask, secure: Any, trusted_proxies: Iterable[str]) -> None:
    app.session_interface = SessionCookies(mode(secure))
    trusted = frozenset(str(p) for p in trusted_proxies or ())
    if trusted:
        app.wsgi_app = TrustedProxies(app.wsgi_app, trusted)  # type: ignore[method-assign]


class TrustedProxies:
    """X-Forwarded-Proto/-For/-Host honoured for requests from a listed proxy, ignored otherwise
    (anyone could send them)."""

    def __init__(self, app: Callable[..., Any], trusted: frozenset[str]) -> None:
        self._plain = app
        self._fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
        self._trusted = trusted

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REMOTE_ADDR") in self._trusted:
            return self._fixed(environ, start_response)
        return self._plain(environ, start_response)


def why_no_session(app: Flask) -> str | None:
    """Why a login on this request could not keep its session (None: it can)."""
    interface = app.session_interface
    if not app.secret_key:
        return None   # the login page says so on its own
    if isinstance(interface, SessionCookies) and interface.secure == "true" and not request.is_secure:
        return ("This page came over plain HTTP, but web.secure_cookies is true: the browser "
                "will not keep the login. Use HTTPS, or set web.secure_cookies: auto.")
    return None


def lost_session() -> str:
    """What to say when a form comes back without the session it was served with."""
    return ("Your browser did not send back the session cookie this form was made with, so the "
            "login cannot be checked. Reload the page and try again. If it happens again: over "
            "plain HTTP set web.secure_cookies: auto (the default); behind an HTTPS proxy, list "
            "the proxy's address in web.trusted_proxies.")
