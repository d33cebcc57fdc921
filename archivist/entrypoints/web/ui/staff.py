"""Pages only staff may open: anyone else is sent to the login page, and back after it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import redirect, request, url_for

from archivist.entrypoints.web import guard


def staff_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let a logged-in staff member (or a bearer token) through; send anyone else to /login."""
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not guard.staff_or_token():
            return redirect(url_for("pages.login_form", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return checked
