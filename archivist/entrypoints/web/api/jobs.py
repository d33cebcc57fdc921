"""/api/v1/jobs: ask for captions, follow them, and steer the queue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject

from archivist.containers import Container
from archivist.domain.errors import ArchivistError, NotFound
from archivist.domain.models import JobState
from archivist.domain.paths import recording_path
from archivist.entrypoints.presenters import job_summary
from archivist.entrypoints.web import audit
from archivist.entrypoints.web.api import schemas
from archivist.entrypoints.web.api.docs import CHANGE, PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog
    from archivist.domain.jobs.rules import Jobs
    from archivist.domain.ports import MediaLibrary, Repository

log = logging.getLogger("archivist.web")
blueprint = APIBlueprint("api_jobs", __name__, url_prefix=PREFIX, tag="Jobs")


@blueprint.get("/jobs/<int(max=2147483647):job_id>")
@blueprint.output(schemas.Job)
@blueprint.doc(responses=answers(404, 503))
@inject
def show(job_id: int, repository: Repository = Provide[Container.repository]) -> dict[str, Any]:
    """One job: its state, progress, time left (while it runs), error and notes."""
    job = repository.job(job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist")
    return job_summary(job)


@blueprint.post("/jobs")
@blueprint.input(schemas.JobIn, arg_name="body")
@blueprint.output(schemas.JobAccepted, status_code=202, description="The job (new or existing)")
@blueprint.doc(security=CHANGE, responses=answers(400, 401, 403, 404, 422, 429, 503))
@inject
def submit(body: dict[str, Any], jobs: Jobs = Provide[Container.jobs],
           library: MediaLibrary = Provide[Container.library],
           installed: Callable[[], list[str]] = Provide[Container.installed_models.provider]
           ) -> dict[str, Any]:
    """Caption a recording: queue a job, or answer with the job its content already has.

    `model` chooses one of the installed Whisper models (400 naming them for another). When
    the queue is unreachable the job is still saved, and `note` says it will run when the
    queue is back.
    """
    path, city = recording_path(library, body["path"], body.get("city"))   # which, then how
    model = body["model"].strip()
    if model and model not in (here := installed()):
        raise ArchivistError(f"model {model!r} is not installed here; installed: "
                             f"{', '.join(here)}")
    # The queue's own deadline (worker.enqueue_timeout) bounds the send.
    submission = jobs.submit(path, city=city.name, priority=body["priority"], again=True,
                             force=body["force"], model=model)
    assert submission.job is not None   # again=True: a job is queued or the active one returned
    if body["force"]:   # "Caption again" on a recording's page, or its API call
        audit.note("recording.caption_again", f"recording:{submission.job.recording_id}",
                   {"path": str(path), "job": submission.job.id, "priority": body["priority"],
                    "model": submission.job.model or None, "created": submission.created})
    return {**job_summary(submission.job), "created": submission.created,
            "note": submission.note}


@blueprint.get("/jobs")
@blueprint.input(schemas.JobsQuery, location="query", arg_name="query")
@blueprint.output(schemas.JobList)
@blueprint.doc(responses=answers(400, 404, 503))
@inject
def listing(query: dict[str, Any], repository: Repository = Provide[Container.repository],
            catalog: Catalog = Provide[Container.catalog]) -> dict[str, Any]:
    """Jobs, newest first, optionally of one state or city (any case; 404 for no such city)."""
    limit, offset = query["limit"], query["offset"]
    city = catalog.city(query["city"]).name if query.get("city") else None
    found = repository.jobs(state=JobState(query["state"]) if "state" in query else None,
                            city=city, limit=limit + 1, offset=offset)
    more = len(found) > limit
    return {"jobs": [job_summary(j) for j in found[:limit]], "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}


@blueprint.post("/jobs/<int(max=2147483647):job_id>/cancel")
@blueprint.output(schemas.Job)
@blueprint.doc(security=CHANGE, responses=answers(401, 403, 404, 409, 429, 503))
@inject
def cancel(job_id: int, jobs: Jobs = Provide[Container.jobs]) -> dict[str, Any]:
    """Cancel a queued or running job (a running one stops within seconds)."""
    return job_summary(jobs.cancel(job_id))


@blueprint.post("/jobs/<int(max=2147483647):job_id>/retry")
@blueprint.output(schemas.Job, status_code=202)
@blueprint.doc(security=CHANGE, responses=answers(401, 403, 404, 409, 429, 503))
@inject
def retry(job_id: int, jobs: Jobs = Provide[Container.jobs]) -> dict[str, Any]:
    """Queue a failed or cancelled job again (a queue that is down: its ticket follows later)."""
    return job_summary(jobs.retry(job_id))


@blueprint.post("/jobs/<int(max=2147483647):job_id>/priority")
@blueprint.input(schemas.PriorityIn, arg_name="body")
@blueprint.output(schemas.Job)
@blueprint.doc(security=CHANGE, responses=answers(400, 401, 403, 404, 429, 503))
@inject
def prioritize(job_id: int, body: dict[str, Any], jobs: Jobs = Provide[Container.jobs]) -> dict[str, Any]:
    """Move a job up or down the queue: 9 is "caption this now"."""
    return job_summary(jobs.prioritize(job_id, body["priority"]))
