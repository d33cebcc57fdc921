"""/jobs and /jobs/<id>: the queue with live progress, and one job's whole story."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import abort, render_template, request

from archivist.containers import Container
from archivist.entrypoints.presenters import job_summary
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

PER_PAGE = 50

if TYPE_CHECKING:
    from archivist.domain.catalog import Catalog
    from archivist.domain.ports import Repository


@blueprint.get("/jobs")
@inject
def queue(repository: Repository = Provide[Container.repository],
          catalog: Catalog = Provide[Container.catalog]) -> str:
    """The queue: newest jobs first, a page at a time, of a state and a city if asked; the
    page's script keeps their progress current."""
    # Imported by the first request, with the domain's models: the process starts without them.
    from archivist.domain.models import JobState

    wanted = request.args.get("state", "")
    state = JobState(wanted) if wanted in {str(s) for s in JobState} else None
    typed = request.args.get("city", "")[:100]
    city = catalog.city(typed).name if typed else None   # any case; 404 naming the cities
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    offset = (page - 1) * PER_PAGE
    found = deadline.gather({
        "jobs": ("database", lambda: [job_summary(j) for j in repository.jobs(
            state=state, city=city, limit=PER_PAGE + 1, offset=offset)]),
        "cities": ("configuration", catalog.cities)})
    jobs = found["jobs"].value or []
    return render_template("queue.html", jobs=jobs[:PER_PAGE], state=wanted if state else "",
                           city=city or "", page=page, offset=offset, limit=PER_PAGE,
                           more=len(jobs) > PER_PAGE, problem=found["jobs"].problem,
                           cities=found["cities"].value or [], states=[str(s) for s in JobState])


@blueprint.get("/jobs/<int(max=2147483647):job_id>")
@inject
def job_page(job_id: int, repository: Repository = Provide[Container.repository]) -> Any:
    """One job: timings, error, notes, outputs, and its recording."""
    found = deadline.one("database", lambda: repository.job(job_id))
    if found.ok and found.value is None:
        abort(404)
    job = job_summary(found.value) if found.value else None
    return render_template("job.html", job=job, job_id=job_id, problem=found.problem)
