"""CSRF tokens for staff sessions: one random token per session, sent back by every form
(field `csrf_token`) and every script (header `X-CSRF-Token`) that changes something."""

from __future__ import annotations

import hmac
import secrets

from flask import current_app, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def token() -> str:
    """This session's CSRF token, made on first use ("" while sessions are off: no secret key)."""
    if not current_app.secret_key:
        return ""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return str(session[FIELD])


# A token sent that is not this session's: the page was opened in an earlier session (a login
# makes a new one), so only a reload gives it this one's.
STALE = "this page was opened before you logged in again: reload it"


def given() -> str | None:
    """The token the request carries, if any."""
    return request.headers.get(HEADER) or (request.form.get(FIELD) if request.form else None)


def sent_back() -> bool:
    """True when the request carries this session's token."""
    expected, sent = session.get(FIELD), given()
    return bool(expected and sent) and hmac.compare_digest(str(expected), str(sent))
