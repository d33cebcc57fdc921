"""/recordings/<id>: a recording, its captions, its video and its transcript beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import abort, render_template, request, send_file

from archivist.containers import Container
from archivist.domain.errors import MediaError
from archivist.domain.sidecars import FORMATS, report_path
from archivist.entrypoints.presenters import job_summary
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint

if TYPE_CHECKING:
    from archivist.domain.meetings.archive import Archive
    from archivist.domain.playback.copies import Playback
    from archivist.domain.ports import MediaLibrary, Repository
    from archivist.domain.publishing.publications import Publications
    from archivist.domain.review.ports import Revisions

ID = "<int(max=2147483647):recording_id>"


@blueprint.get(f"/recordings/{ID}")
@inject
def recording_page(recording_id: int, repository: Repository = Provide[Container.repository],
                   publications: Publications = Provide[Container.publications],
                   library: MediaLibrary = Provide[Container.library],
                   revisions: Revisions = Provide[Container.revisions],
                   installed: Callable[[], list[str]] = Provide[Container.installed_models.provider],
                   station_model: str = Provide[Container.config.whisper.model],
                   data_dir: str = Provide[Container.config.data_dir]) -> Any:
    """A recording: where it is, its latest job, its caption downloads, its publication, and
    (for staff) "Caption again" with a choice of the installed Whisper models."""
    found = deadline.gather({
        "recording": ("database", lambda: repository.recording(recording_id)),
        "job": ("database", lambda: repository.latest_job(recording_id)),
        "transcript": ("database", lambda: repository.has_transcript(recording_id)),
        "publication": ("database", lambda: repository.publication(recording_id)),
        "review": ("database", lambda: revisions.review(recording_id)),
        "report": ("library", lambda: caption_report(library, repository.recording(recording_id)))})
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
                           review=found["review"].value.as_dict() if found["review"].value else None,
                           revision=found["review"].value.revision if found["review"].value else None,
                           models=installed() if job else [],
                           city_model=_city_model(library, city, station_model, data_dir),
                           problem=found["recording"].problem or found["job"].problem)


def _city_model(library: MediaLibrary, city: str, station_model: str, data_dir: str) -> str:
    """The model a city's recordings get: its own, else the station's whisper.model (`auto`:
    the model it picks here)."""
    from archivist.adapters.whisper.models import setting_name

    own = next((c.model for c in library.cities() if c.name == city), "")
    return setting_name(own or station_model, data_dir)


def caption_report(library: MediaLibrary, recording: Any) -> dict[str, Any] | None:
    """The caption report written beside the recording, if there is one to read."""
    if recording is None:
        return None
    try:
        found = json.loads(library.read_text(report_path(Path(recording.path))))
    except (MediaError, ValueError):   # none yet, or not one we can read: the page goes on
        return None
    return found if isinstance(found, dict) and "profiles" in found else None


@blueprint.get(f"/recordings/{ID}/transcript")
@inject
def transcript_page(recording_id: int, repository: Repository = Provide[Container.repository],
                    playback: Playback = Provide[Container.playback],
                    archive: Archive = Provide[Container.archive]) -> Any:
    """The video with its WebVTT captions (or why it cannot play), and the transcript beside
    it, line by line."""
    # Imported by the first request, with the domain's models: the process starts without them.
    from archivist.domain.search.passages import passages

    found = deadline.gather({
        "recording": ("database", lambda: repository.recording(recording_id)),
        "transcript": ("database", lambda: repository.transcript(recording_id)),
        "playable": ("library", lambda: playback.playable(recording_id, ask=True))})
    if found["recording"].ok and found["recording"].value is None:
        abort(404)
    recording = found["recording"].value
    lines = passages(found["transcript"].value) if found["transcript"].value else []
    start = request.args.get("t", type=float) or 0.0
    return render_template("transcript.html", recording=recording,
                           named=archive.name(recording.city, str(recording.path)) if recording else None,
                           recording_id=recording_id, lines=lines, start=max(0.0, start),
                           playable=found["playable"].value,
                           unplayable=unplayable_reason(found["playable"].problem),
                           problem=found["recording"].problem or found["transcript"].problem)


def unplayable_reason(problem: str | None) -> str:
    """Why no player shows when the library gave no answer: a loaded server reads the file
    (ffprobe) later than the page can wait, which a reload usually mends."""
    if problem is None or "no answer within" in problem:
        return ("The recording cannot be played right now: the server was too busy to read it "
                "in time. Reload the page to try again.")
    return f"The recording cannot be played right now ({problem}). Reload the page to try again."


@blueprint.get(f"/recordings/{ID}/media")
@inject
def media(recording_id: int, playback: Playback = Provide[Container.playback]) -> Any:
    """What the player plays: the recording's own file (only from a city mount) or its
    browser copy, with byte ranges so the player can seek."""
    # Imported by the first request, with the domain's models: the process starts without them.
    from archivist.domain.playback.copies import Source
    from archivist.domain.playback.formats import media_type

    # Late, or the mount already stuck: 503 with Retry-After.
    playable = deadline.bounded_call("library", lambda: playback.playable(recording_id), 5)
    if playable.path is None:
        abort(404, playable.message)
    if playable.source == Source.COPY:
        playback.played(recording_id)
    return send_file(playable.path, mimetype=media_type(playable.path.suffix), conditional=True,
                     max_age=3600)
