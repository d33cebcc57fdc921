"""Who may change things: every POST, PUT, PATCH and DELETE needs a valid bearer token or a
logged-in staff session (with its CSRF token), and is counted against a rate limit.

Reading (GET) is open: meeting transcripts are public records. Tokens and passwords are
never logged; a refusal logs the client's address and which check failed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import Flask, current_app, g, request, session, url_for
from werkzeug.exceptions import Forbidden, TooManyRequests, Unauthorized

from archivist.containers import Container
from archivist.entrypoints.web import cookies, csrf
from archivist.entrypoints.web.deadline import bounded_call

if TYPE_CHECKING:
    from archivist.domain.access.staff import Access

log = logging.getLogger("archivist.web")
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# Reached without being logged in (CSRF still checked): how a person logs in.
OPEN = frozenset({"pages.login"})


def register(app: Flask) -> None:
    app.before_request(check)


def check() -> None:
    """Refuse a change that nobody is allowed to make; let everything else through."""
    g.actor = None
    if request.method in SAFE or request.routing_exception is not None:
        return   # reading; or no such page or method, which is answered as such
    if request.endpoint in OPEN:
        _limit("login")
        if not csrf.sent_back():
            _refuse(Forbidden, cookies.lost_session() if not session.get(csrf.FIELD)
                    else "the form's CSRF token is missing or stale; reload the page")
        return
    _limit("changes")
    g.actor = _actor()


def _actor() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not secret.strip():
            _refuse(Unauthorized, "send `Authorization: Bearer <token>`")
        token = _token(secret.strip())
        if token is None:
            _refuse(Unauthorized, "the bearer token is not valid (unknown or revoked)")
        return f"token:{token.name}"
    if _session_staff() is None:
        _refuse(Unauthorized, f"log in at {url_for('pages.login_form')}, or send "
                              "`Authorization: Bearer <token>`")
    if not csrf.sent_back():
        _refuse(Forbidden, csrf.STALE if csrf.given() else
                f"send the page's CSRF token in {csrf.HEADER}")
    return f"staff:{session.get('staff_name')}"


def staff_or_token() -> bool:
    """True when the request comes from a logged-in staff member or with a valid bearer token
    (what unlocks the health detail); never refuses anything itself."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return _token(secret.strip()) is not None
    return _session_staff() is not None


@inject
def _token(secret: str, access: Access = Provide[Container.access]) -> Any:
    return bounded_call("database", lambda: access.token_for(secret))


@inject
def _session_staff(access: Access = Provide[Container.access]) -> Any:
    """The staff member this session belongs to, unless it was ended (logout, new password)."""
    staff_id, generation = session.get("staff_id"), session.get("staff_generation")
    if not isinstance(staff_id, int) or not isinstance(generation, int):
        return None
    return bounded_call("database", lambda: access.staff_in_session(staff_id, generation))


def _limit(rule: str) -> None:
    wait = current_app.extensions["archivist.rate_limits"].spend(rule, request.remote_addr or "?")
    if wait is not None:
        log.warning("rate limited", extra={"rule": rule, "client": request.remote_addr})
        raise TooManyRequests(f"too many requests; try again in {wait:.0f}s",
                              retry_after=int(wait))


def _refuse(kind: type[Unauthorized] | type[Forbidden], why: str) -> None:
    log.warning("refused", extra={"status": kind.code, "client": request.remote_addr,
                                  "method": request.method, "url": request.path, "why": why})
    error = kind(why)
    if kind is Unauthorized:
        error = Unauthorized(why, www_authenticate=_challenge())
    raise error


def _challenge() -> Any:
    from werkzeug.datastructures import WWWAuthenticate

    return WWWAuthenticate("bearer", {"realm": "archivist"})
