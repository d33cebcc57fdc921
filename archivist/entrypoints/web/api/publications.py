"""/api/v1/recordings/{id}/publication: what publishing to Cablecast did; and publishing again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint, Schema, fields, validators
from dependency_injector.wiring import Provide, inject

from archivist.containers import Container
from archivist.domain.errors import Conflict, NotFound
from archivist.entrypoints.web.api.docs import CHANGE, PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.ports import JobQueue, Repository
    from archivist.domain.publishing.publications import Publications

blueprint = APIBlueprint("api_publications", __name__, url_prefix=PREFIX, tag="Publishing")
ID = "<int(max=2147483647):recording_id>"


class Chapter(Schema):
    id = fields.Integer(allow_none=True)
    offset = fields.Integer(metadata={"description": "Seconds from the start of the VOD."})
    title = fields.String()


class Publication(Schema):
    media = fields.String()
    state = fields.String(metadata={"description": "published, waiting, unlinked or failed"})
    show = fields.Integer(allow_none=True)
    chosen_show = fields.Integer(allow_none=True,
                                 metadata={"description": "The show staff chose, if any."})
    link_reason = fields.String()
    vod = fields.Integer(allow_none=True)
    sidecar = fields.String()
    sidecar_ref = fields.String()
    chapters = fields.List(fields.Nested(Chapter))
    error = fields.String(allow_none=True)
    notes = fields.List(fields.String())
    at = fields.String()


class PublishIn(Schema):
    show_id = fields.Integer(allow_none=True, validate=validators.Range(1, 2147483647), metadata={
        "description": "Link to this Cablecast show (kept for later publishes); else the "
                       "file name or title and date choose."})


class PublishAccepted(Schema):
    recording_id = fields.Integer()
    note = fields.String()


@blueprint.get(f"/recordings/{ID}/publication")
@blueprint.output(Publication)
@blueprint.doc(responses=answers(404, 503))
@inject
def publication(recording_id: int,
                repository: Repository = Provide[Container.repository]) -> dict[str, Any]:
    """The latest publication of the recording to Cablecast."""
    found = repository.publication(recording_id)
    if found is None:
        raise NotFound(f"recording {recording_id} has not been published")
    done, chosen = found
    return {**done.as_dict(), "chosen_show": chosen}


@blueprint.post(f"/recordings/{ID}/publish")
@blueprint.input(PublishIn, arg_name="body")
@blueprint.output(PublishAccepted, status_code=202)
@blueprint.doc(security=CHANGE, responses=answers(400, 401, 403, 404, 409, 429, 503))
@inject
def publish(recording_id: int, body: dict[str, Any],
            repository: Repository = Provide[Container.repository],
            publications: Publications = Provide[Container.publications],
            queue: JobQueue = Provide[Container.job_queue]) -> tuple[dict[str, Any], int]:
    """Publish the recording again (to the show given, or as it links itself); the housekeeping
    worker does it, and the publication says how it went."""
    recording = repository.recording(recording_id)
    if recording is None:
        raise NotFound(f"recording {recording_id} does not exist")
    if not repository.has_transcript(recording_id):
        raise Conflict(f"recording {recording_id} is not captioned yet: nothing to publish")
    latest = repository.latest_job(recording_id)
    city = (latest.city if latest else "") or recording.city
    if not publications.publishes(city):
        raise Conflict(f"{city or 'this recording'} does not publish to Cablecast "
                       "(cablecast.url, and a cablecast: section for the city)")
    queue.publish(recording_id, body.get("show_id"))
    return {"recording_id": recording_id,
            "note": "publishing: the publication shows the outcome in a few seconds"}, 202
