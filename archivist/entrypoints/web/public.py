"""What anonymous visitors see of the API and the pages: no server paths or hosts.

Residents read meetings through the same API staff use; for them a recording's path is its
file name, and which worker host ran a job is nobody's business. Messages (a job's error, why a
recording cannot play) name files by their full path for staff; visitors get the file name.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any

from flask import Flask, Response, current_app, g, request

from archivist.domain.errors import ArchivistError
from archivist.entrypoints.live_report import for_residents
from archivist.entrypoints.web import guard

# The folders of an absolute path inside a message: from a '/' that starts a word up to the last
# '/' of that path. A folder name may hold single spaces ("/mnt/City Hall/"), but no ':' and no
# word after a space that starts another path, so two paths in one message are cut apart.
_FOLDERS = re.compile(r"(?:(?<=^)|(?<=[\s(\[\"'=]))/(?:[^/\s:]+(?: [^/\s:]+)*/)+")
# Keys whose text may name files by their full path.
_MESSAGES = frozenset({"error", "message", "notes", "problem", "problems"})


def register(app: Flask) -> None:
    app.after_request(_redact_for_visitors)
    app.jinja_env.filters["for_visitors"] = for_visitors


def unpathed(text: str, keep: str = "") -> str:
    """`text` with every absolute path in it reduced to its file name, but for `keep` (the
    URL the visitor asked for, which a 404 or 405 names: theirs, not the server's)."""
    if keep and keep in text:
        return keep.join(_FOLDERS.sub("", part) for part in text.split(keep))
    return _FOLDERS.sub("", text)


def for_visitors(text: object) -> object:
    """A message as this request may see it: whole for staff, without folders for visitors."""
    return unpathed(text) if isinstance(text, str) and not staff() else text


def staff() -> bool:
    """True for signed-in staff and API tokens (remembered for the request)."""
    if "is_staff" not in g:
        try:
            g.is_staff = g.get("actor") is not None or guard.staff_or_token()
        except ArchivistError:   # the database cannot say who is asking: show the public view
            g.is_staff = False
    return bool(g.is_staff)


def detail() -> bool:
    """May this request see the station's operating detail (paths, hosts, driver text, what to
    run)? Staff and API tokens may; everyone may when `web.health_detail` is on."""
    return bool(current_app.config["ARCHIVIST_HEALTH_DETAIL"]) or staff()


def live_session(report: dict[str, Any], shown: bool | None = None) -> dict[str, Any]:
    """A live session's report as this request may see it (`shown`: whether it may see the
    detail, when that was decided while the request was there to ask)."""
    return report if (detail() if shown is None else shown) else for_residents(report)


def _redact_for_visitors(response: Response) -> Response:
    if not request.path.startswith("/api/") or request.path.endswith("/openapi.json") \
            or response.mimetype != "application/json" \
            or response.direct_passthrough or staff():
        return response
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return response
    response.set_data(json.dumps(redact(body, url=request.path)))
    return response


def redact(value: Any, key: str = "", url: str = "") -> Any:
    """`value` with every path reduced to its file name (in messages too, but for the request's
    own `url`) and every worker host removed."""
    if isinstance(value, dict):
        return {k: redact(v, k, url) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key, url) for v in value]
    if key in ("path", "outputs") and isinstance(value, str):
        return PurePath(value).name
    if key in _MESSAGES and isinstance(value, str):
        return unpathed(value, url)
    if key == "worker" and isinstance(value, str):
        return None
    return value
