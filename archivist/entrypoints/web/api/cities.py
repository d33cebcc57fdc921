"""/api/v1/cities and /api/v1/recordings: what each city has, and how far it is captioned."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject
from flask import url_for

from archivist.containers import Container
from archivist.domain.captions import FORMATS
from archivist.domain.catalog import Listed
from archivist.domain.errors import NotFound
from archivist.entrypoints.presenters import job_summary
from archivist.entrypoints.web.api import schemas
from archivist.entrypoints.web.api.docs import PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.accuracy.service import Accuracy
    from archivist.domain.catalog import Catalog
    from archivist.domain.ports import Repository

blueprint = APIBlueprint("api_cities", __name__, url_prefix=PREFIX, tag="Cities")


@blueprint.get("/cities")
@blueprint.output(schemas.CityList)
@inject
def cities(catalog: Catalog = Provide[Container.catalog]) -> dict[str, Any]:
    """The member cities and their mounts."""
    return {"cities": [{"name": c.name, "path": str(c.path)} for c in catalog.cities()]}


@blueprint.get("/cities/<string:name>/recordings")
@blueprint.input(schemas.RecordingsQuery, location="query", arg_name="query")
@blueprint.output(schemas.CityRecordings)
@blueprint.doc(responses=answers(400, 404, 503))
@inject
def city_recordings(name: str, query: dict[str, Any],
                    catalog: Catalog = Provide[Container.catalog]) -> dict[str, Any]:
    """A city's newest recordings on its mount, each with its caption status.

    An unreachable mount answers 200 with `reachable: false` and the reason, so a dashboard
    can show the other cities.
    """
    shelf = catalog.shelf(catalog.city(name), limit=query["limit"])
    return {"city": shelf.city.name, "reachable": shelf.reachable, "problem": shelf.problem,
            "recordings": [listed_summary(item) for item in shelf.listed]}


@blueprint.get("/recordings/<int(max=2147483647):recording_id>")
@blueprint.output(schemas.Recording)
@blueprint.doc(responses=answers(404, 503))
@inject
def recording(recording_id: int, repository: Repository = Provide[Container.repository],
              accuracy: Accuracy = Provide[Container.accuracy]) -> dict[str, Any]:
    """A recording: where it is, its latest job, its caption downloads, and how accurate the
    machine's words were against a person's (once a revision is approved, or a person's
    caption file was found beside it)."""
    found = repository.recording(recording_id)
    if found is None:
        raise NotFound(f"recording {recording_id} does not exist")
    job = repository.latest_job(recording_id)
    has_transcript = repository.has_transcript(recording_id)
    best, measures = accuracy.of(recording_id)
    return {"id": found.id, "path": str(found.path), "city": found.city, "size": found.size,
            "duration": found.duration,
            "created_at": found.created_at.isoformat() if found.created_at else None,
            "job": job_summary(job) if job else None, "transcript": has_transcript,
            "captions": {fmt: url_for("api_transcripts.caption", recording_id=recording_id,
                                      format=fmt) for fmt in FORMATS} if has_transcript else {},
            "accuracy": best.as_dict() if best else None,
            "references": [m.as_dict() for m in measures]}


def listed_summary(item: Listed) -> dict[str, Any]:
    """A file on a mount as the API shows it."""
    modified = datetime.fromtimestamp(item.file.mtime, UTC).isoformat()
    return {"path": str(item.file.path), "size": item.file.size, "modified_at": modified,
            "recording_id": item.recording_id, "status": item.status,
            "job": job_summary(item.job) if item.job else None}
