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


def sent_back() -> bool:
    """True when the request carries this session's token."""
    expected = session.get(FIELD)
    given = request.headers.get(HEADER) or (request.form.get(FIELD) if request.form else None)
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))
