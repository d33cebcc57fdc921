"""/recordings/<id>: a recording, its captions, its video and its transcript beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import abort, render_template, request, send_file

from archivist.containers import Container
from archivist.domain.captioning import report_path
from archivist.domain.captions import FORMATS
from archivist.domain.search.passages import passages
from archivist.entrypoints.presenters import job_summary
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.ports import MediaLibrary, Repository
    from archivist.domain.publishing.publications import Publications

ID = "<int(max=2147483647):recording_id>"


@blueprint.get(f"/recordings/{ID}")
@inject
def recording_page(recording_id: int, repository: Repository = Provide[Container.repository],
                   publications: Publications = Provide[Container.publications]) -> Any:
    """A recording: where it is, its latest job, its caption downloads, its publication."""
    found = deadline.gather({
        "recording": ("database", lambda: repository.recording(recording_id)),
        "job": ("database", lambda: repository.latest_job(recording_id)),
        "transcript": ("database", lambda: repository.transcript(recording_id) is not None),
        "publication": ("database", lambda: repository.publication(recording_id)),
        "report": ("library", lambda: _caption_report(repository.recording(recording_id)))})
    if found["recording"].ok and found["recording"].value is None:
        abort(404)
    job = found["job"].value
    recording = found["recording"].value
    city = (job.city if job else "") or (recording.city if recording else "")
    published = found["publication"].value
    return render_template("recording.html", recording=recording,
                           recording_id=recording_id, job=job_summary(job) if job else None,
                           has_transcript=bool(found["transcript"].value), formats=FORMATS,
                           publishes=publications.publishes(city),
                           publication=published[0].as_dict() if published else None,
                           chosen_show=published[1] if published else None,
                           report=found["report"].value,
                           problem=found["recording"].problem or found["job"].problem)


def _caption_report(recording: Any) -> dict[str, Any] | None:
    """The caption report written beside the recording, if there is one to read."""
    if recording is None:
        return None
    try:
        found = json.loads(report_path(Path(recording.path)).read_text(encoding="utf-8"))
    except (OSError, ValueError):   # none yet, or not one we can read: the page goes on
        return None
    return found if isinstance(found, dict) and "profiles" in found else None


@blueprint.get(f"/recordings/{ID}/transcript")
@inject
def transcript_page(recording_id: int, repository: Repository = Provide[Container.repository]) -> Any:
    """The video with its WebVTT captions, and the transcript beside it, line by line."""
    found = deadline.gather({
        "recording": ("database", lambda: repository.recording(recording_id)),
        "transcript": ("database", lambda: repository.transcript(recording_id))})
    if found["recording"].ok and found["recording"].value is None:
        abort(404)
    lines = passages(found["transcript"].value) if found["transcript"].value else []
    start = request.args.get("t", type=float) or 0.0
    return render_template("transcript.html", recording=found["recording"].value,
                           recording_id=recording_id, lines=lines, start=max(0.0, start),
                           problem=found["recording"].problem or found["transcript"].problem)


@blueprint.get(f"/recordings/{ID}/media")
@inject
def media(recording_id: int, repository: Repository = Provide[Container.repository],
          library: MediaLibrary = Provide[Container.library]) -> Any:
    """The recording's file, with byte ranges so the player can seek; only from a city mount."""
    found = deadline.one("database", lambda: repository.recording(recording_id), seconds=5)
    if not found.ok:
        abort(503, found.problem)
    if found.value is None:
        abort(404)
    candidates = [found.value.path]
    latest = repository.latest_job(recording_id)
    if latest is not None and latest.path:
        candidates.insert(0, latest.path)
    for path in candidates:
        real = Path(path).resolve()
        if library.city_of(real) is not None and real.is_file():
            return send_file(real, conditional=True, max_age=3600)
    abort(404, "the recording's file is not on a city mount any more")
