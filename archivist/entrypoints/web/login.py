"""Staff log in and out (a signed session cookie); the guard checks the session on changes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from dependency_injector.wiring import Provide, inject
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from archivist.containers import Container
from archivist.entrypoints.web import audit, csrf
from archivist.entrypoints.web.cookies import why_no_session

if TYPE_CHECKING:
    from archivist.domain.access.staff import Access

log = logging.getLogger("archivist.web")
blueprint = Blueprint("pages", __name__)


LOGIN_PATH = "/login"


@blueprint.get(LOGIN_PATH)
def login_form() -> str:
    """The login page."""
    return render_template("login.html", next=_next(), problem=why_no_session(current_app))


@blueprint.post(LOGIN_PATH)
@inject
def login(access: Access = Provide[Container.access]) -> Any:
    """Check a name and password; on success start a fresh session (a new CSRF token too)."""
    name = request.form.get("name", "")[:64]
    staff = access.log_in(name, request.form.get("password", "")[:1024])
    if staff is None:
        log.warning("login failed", extra={"staff": name, "client": request.remote_addr})
        audit.record("anonymous", "staff.login_failed", f"staff:{name}",
                     {"reason": "wrong name or password"})
        return render_template("login.html", next=_next(), problem="Wrong name or password."), 401
    session.clear()   # nothing from before the login survives it (session fixation)
    session.permanent = True
    session["staff_id"], session["staff_name"] = staff.id, staff.name
    session["staff_generation"] = staff.session_generation
    csrf.token()
    log.info("logged in", extra={"staff": staff.name, "client": request.remote_addr})
    audit.record(f"staff:{staff.name}", "staff.login", f"staff:{staff.name}")
    return redirect(_next())


@blueprint.post("/logout")
@inject
def logout(access: Access = Provide[Container.access]) -> Response:
    """End the session here and on the server: a copy of the cookie no longer works."""
    log.info("logged out", extra={"staff": session.get("staff_name")})
    staff_id = session.get("staff_id")
    if isinstance(staff_id, int):
        access.end_sessions(staff_id)
    session.clear()
    return redirect(url_for("pages.login_form"))


def _next() -> str:
    """Where a login goes: a path on this site, never the login page itself."""
    wanted = request.values.get("next", "")
    form = url_for("pages.login_form")
    if _local(wanted) and urlsplit(wanted).path == form:
        # "Log in" pressed on the login page: where that one was going.
        wanted = parse_qs(urlsplit(wanted).query).get("next", ["/"])[0]
    return wanted if _local(wanted) and urlsplit(wanted).path != form else "/"


def _local(path: str) -> bool:
    # Only a path on this site: never an open redirect to somewhere else.
    return path.startswith("/") and not path.startswith("//") and "\\" not in path
