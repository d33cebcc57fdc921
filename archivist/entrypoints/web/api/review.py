"""/api/v1/recordings/{id}/transcript and its revisions: read any, save an edit (If-Match the
revision it was made from), restore, approve. Each change is applied to every output."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject
from flask import Response, current_app, g, jsonify, request

from archivist.containers import Container
from archivist.domain import transcript_json
from archivist.domain.models import Word
from archivist.domain.review.revisions import EditedLine, Revision, StaleRevision
from archivist.domain.review.service import Reviews, Saved
from archivist.domain.review.state import Review
from archivist.entrypoints.web import audit
from archivist.entrypoints.web.api import review_schemas as schemas
from archivist.entrypoints.web.api.docs import CHANGE, PREFIX, answers
from archivist.entrypoints.web.errors import error

if TYPE_CHECKING:
    from archivist.domain.review.service import Saved

blueprint = APIBlueprint("api_review", __name__, url_prefix=PREFIX, tag="Review")
RECORDING = "/recordings/<int(max=2147483647):recording_id>"
log = logging.getLogger("archivist.review")
_MACHINE_ONLY = ("avg_logprob", "no_speech_prob", "compression_ratio")   # not shown to editors
# A stale revision's 409 carries more than the one error shape: the current revision and what
# changed since (`_conflict`), so its schema is its own.
CONFLICT: dict[int, Any] = {
    409: {"description": "Saved from a stale revision: the body says what changed since",
          "content": {"application/json": {"schema": schemas.Conflict}}},
    428: "If-Match (the revision the edit was made from) is missing"}


@blueprint.get(f"{RECORDING}/transcript")
@blueprint.input(schemas.RevisionQuery, location="query", arg_name="query")
@blueprint.output(schemas.RevisionTranscript)
@blueprint.doc(responses=answers(400, 404, 503))
@inject
def transcript(recording_id: int, query: dict[str, Any],
               reviews: Reviews = Provide[Container.reviews]) -> Any:
    """A revision of the recording's transcript (the current one unless `revision` is given):
    its lines with each word's times, who made it, and the recording's review state."""
    # The stored JSON read as it is: building every word of a long meeting as an object and
    # back took seconds (the PUT's answer below still builds it from the saved revision).
    revision, review, stored = reviews.revision_json(recording_id, query.get("revision"))
    about = current_app.json.dumps(body(revision, review, {}))   # as jsonify writes it
    response = Response(f"{about[:-1]},{_words(stored)[1:]}", mimetype="application/json")
    response.headers["ETag"] = f'"{revision.number}"'
    return response


@lru_cache(maxsize=4)
def _words(stored: str) -> str:
    """The transcript part of a GET's answer (JSON), made once for each stored transcript:
    a revision never changes, and the editor asks for the same one again on each opening."""
    data = transcript_json.read(stored)
    data.pop("version", None)
    for segment in data["segments"]:
        for key in _MACHINE_ONLY:
            segment.pop(key, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


@blueprint.put(f"{RECORDING}/transcript")
@blueprint.input(schemas.TranscriptIn, arg_name="edit")
@blueprint.output(schemas.RevisionTranscript, description="The new current revision")
@blueprint.doc(security=CHANGE, responses={**answers(400, 401, 403, 404, 429, 503), **CONFLICT})
@inject
def save(recording_id: int, edit: dict[str, Any],
         reviews: Reviews = Provide[Container.reviews]) -> Any:
    """Save an edit made from the revision named in If-Match, and apply it to every output
    (caption files, search, Cablecast). Words may be left out: kept words keep their times,
    the others get times inside their line."""
    base = _if_match(required=True)
    assert base is not None   # required: _if_match refuses a request without one (428)
    lines = [_line(s) for s in edit["segments"]]
    return _saved(lambda: reviews.save(recording_id, lines, base, g.actor,
                                       edit.get("note") or ""), "transcript.save", recording_id)


@blueprint.get(f"{RECORDING}/transcript/revisions")
@blueprint.output(schemas.RevisionList)
@blueprint.doc(responses=answers(404, 503))
@inject
def revisions(recording_id: int, reviews: Reviews = Provide[Container.reviews]) -> dict[str, Any]:
    """Every revision of the transcript, newest first."""
    found, review = reviews.history(recording_id)
    return {"recording": recording_id, "current_revision": review.revision,
            "review": review.as_dict(), "revisions": [r.summary() for r in found]}


@blueprint.post(f"{RECORDING}/transcript/restore")
@blueprint.input(schemas.RestoreIn, arg_name="restore")
@blueprint.output(schemas.RevisionTranscript, description="The new current revision")
@blueprint.doc(security=CHANGE, responses={**answers(400, 401, 403, 404, 429, 503), **CONFLICT})
@inject
def restore(recording_id: int, restore: dict[str, Any],
            reviews: Reviews = Provide[Container.reviews]) -> Any:
    """Make a new revision with an earlier revision's text (If-Match optional)."""
    base = _if_match(required=False)
    return _saved(lambda: reviews.restore(recording_id, restore["revision"], g.actor, base,
                                          restore.get("note") or ""),
                  "transcript.restore", recording_id, {"restored": restore["revision"]})


@blueprint.post(f"{RECORDING}/approve")
@blueprint.output(schemas.ReviewOut)
@blueprint.doc(security=CHANGE, responses={**answers(401, 403, 404, 429, 503), 409: CONFLICT[409]})
@inject
def approve(recording_id: int, reviews: Reviews = Provide[Container.reviews]) -> Any:
    """Approve the current revision (or, with If-Match, that revision if it is still current);
    a city that publishes approved captions only sends them to Cablecast now."""
    return _approve(reviews, recording_id)


@blueprint.post(f"{RECORDING}/review")
@blueprint.input(schemas.ReviewIn, arg_name="change")
@blueprint.output(schemas.ReviewOut)
@blueprint.doc(security=CHANGE, responses={**answers(400, 401, 403, 404, 429, 503),
                                           409: CONFLICT[409]})
@inject
def review_state(recording_id: int, change: dict[str, Any],
                 reviews: Reviews = Provide[Container.reviews]) -> Any:
    """Approve (`approved`) or reopen (`in_review`) the recording's review."""
    if change["state"] == "approved":
        return _approve(reviews, recording_id)
    return _state(lambda: reviews.reopen(recording_id, g.actor), "transcript.reopen",
                  recording_id)


def body(revision: Revision, review: Review, data: dict[str, Any] | None = None
         ) -> dict[str, Any]:
    """A revision as GET answers it; `data`, its transcript as `transcript_json.to_dict`
    gives it (else made from the revision's)."""
    if data is None:
        assert revision.transcript is not None
        data = transcript_json.to_dict(revision.transcript)
    data.pop("version", None)
    for segment in data.get("segments", ()):
        for key in _MACHINE_ONLY:
            segment.pop(key, None)
    summary = revision.summary()
    return {"recording": revision.recording_id, "recording_id": revision.recording_id,
            "revision": revision.number, "current_revision": review.revision,
            "author": summary["author"], "created_at": summary["created_at"],
            "note": summary["note"], "restored_from": revision.restored_from,
            "review": review.as_dict(), **data}


def _approve(reviews: Any, recording_id: int) -> Any:
    base = _if_match(required=False)
    return _state(lambda: reviews.approve(recording_id, g.actor, base), "transcript.approve",
                  recording_id)


def _saved(work: Any, action: str, recording_id: int, detail: dict[str, Any] | None = None) -> Any:
    try:
        saved: Saved = work()
    except StaleRevision as exc:
        return _conflict(exc)
    audit.note(action, f"recording:{recording_id}",
               {"revision": saved.revision.number, "created": saved.created,
                "note": saved.revision.note or None, **(detail or {}),
                "applied": saved.applied.as_dict()})
    answer = {**body(saved.revision, saved.review), "applied": saved.applied.as_dict(),
              "suggested_vocabulary": list(saved.suggested)}
    return _tagged(answer, saved.revision.number)


def _state(work: Any, action: str, recording_id: int) -> Any:
    try:
        saved: Saved = work()
    except StaleRevision as exc:
        return _conflict(exc)
    audit.note(action, f"recording:{recording_id}", {"revision": saved.revision.number})
    return {"recording": recording_id, "review": saved.review.as_dict(),
            "applied": saved.applied.as_dict()}


def _conflict(exc: StaleRevision) -> Response:
    """409 in the one error shape, with the current revision and what changed since."""
    response, code = error(409, "Conflict", str(exc))
    data = response.get_json()
    data.update(current_revision=exc.current, changed=[r.summary() for r in exc.changed])
    answer = jsonify(data)
    answer.status_code = code
    return answer


def _tagged(answer: dict[str, Any], revision: int) -> Response:
    response = jsonify(answer)
    response.headers["ETag"] = f'"{revision}"'
    return response


def _if_match(required: bool) -> int | None:
    """The revision an If-Match header names ("3", 3 or W/"3")."""
    from werkzeug.exceptions import BadRequest, PreconditionRequired

    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        if required:
            raise PreconditionRequired("send If-Match: the revision this edit was made from, "
                                       'e.g. If-Match: "3" (the ETag of the GET)')
        return None
    bare = raw.removeprefix("W/").strip('"')
    if not bare.isdigit() or not 0 < int(bare) < 2_147_483_647:
        raise BadRequest(f"If-Match: expected a revision number such as \"3\", got {raw[:40]!r}")
    return int(bare)


def _line(raw: dict[str, Any]) -> EditedLine:
    words = raw.get("words")
    return EditedLine(raw["start"], raw["end"], raw["text"],
                      None if words is None else tuple(
                          Word(w["start"], w["end"], w["word"], w.get("probability", 1.0))
                          for w in words))
