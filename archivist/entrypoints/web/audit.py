"""The audit log of the web app and API: every change a staff member or token made that was
accepted (jobs, transcripts, publishing, vocabulary, ...) is recorded with who, when, what
and from where, once the answer is known. A view may say more with `note()`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import Flask, Response, g, request

from archivist.containers import Container

if TYPE_CHECKING:
    from archivist.domain.review.ports import AuditLog

log = logging.getLogger("archivist.audit")

# Endpoint → the action it is logged as (others are logged under their endpoint's name).
ACTIONS = {
    "api_jobs.submit": "job.submit", "api_jobs.cancel": "job.cancel",
    "api_jobs.retry": "job.retry", "api_jobs.prioritize": "job.prioritize",
    "api_publications.publish": "recording.publish", "pages.logout": "staff.logout",
}
# Request fields never copied into the log (too big to be useful; secrets are scrubbed anyway).
_LEFT_OUT = frozenset({"segments", "words"})
_TARGETS = (("job_id", "job"), ("recording_id", "recording"), ("name", "city"),
            ("city", "city"))


def register(app: Flask) -> None:
    app.after_request(_record)


def note(action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    """Say what the change of this request was, in the station's words."""
    g.audit = (action, target, detail or {})


def _record(response: Response) -> Response:
    actor = g.get("actor")
    if not actor or request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
        return response
    said = g.get("audit")
    action, target, detail = said if said else (_action(), _target(), {})
    if not said:
        detail = {**(request.view_args or {}), **_body()}
        if not target and action == "job.submit":   # the new job's id is in the answer
            made = response.get_json(silent=True) if response.is_json else None
            target = f"job:{made['id']}" if isinstance(made, dict) and made.get("id") else ""
    record(actor, action, target, detail)
    return response


def record(actor: str, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    """Write an entry for this request now: what the hook above does not see (a login, whose
    person is known only once it succeeds, and one refused). Never fails the request."""
    # Loaded by the first change a person makes, not at the web process's start (bench/startup.py).
    from archivist.domain.review.audit import entry

    try:
        _write(entry(actor, action, target, detail, request.remote_addr))
    except Exception as exc:   # the change is made; its record is lost, loudly
        log.error("audit entry not written", extra={"actor": actor, "action": action,
                                                    "target": target, "reason": str(exc)})


@inject
def _write(found: Any, audit_log: AuditLog = Provide[Container.audit_log]) -> None:
    audit_log.record(found)


def _action() -> str:
    endpoint = request.endpoint or request.path
    if endpoint in ACTIONS:
        return ACTIONS[endpoint]
    return endpoint.removeprefix("api_").replace("_", ".", 1)


def _target() -> str:
    args = request.view_args or {}
    for key, kind in _TARGETS:
        if key in args:
            return f"{kind}:{args[key]}"
    return ""


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True) if request.is_json else request.form.to_dict()
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k not in _LEFT_OUT}
