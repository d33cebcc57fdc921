"""/recordings/<id>/edit: the caption editor (staff only), the video beside its lines.

The page is a shell: the script (static/editor/) reads the transcript and saves revisions
through the REST API. The page hands it the caption profile's limits and the city's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import abort, render_template

from archivist.containers import Container
from archivist.domain.errors import NotFound
from archivist.entrypoints.web import deadline
from archivist.entrypoints.web.ui.blueprint import blueprint
from archivist.entrypoints.web.ui.recordings import ID, caption_report, unplayable_reason
from archivist.entrypoints.web.ui.staff import staff_only

if TYPE_CHECKING:
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.catalog import Catalog
    from archivist.domain.playback.copies import Playback
    from archivist.domain.ports import MediaLibrary, Repository


@blueprint.get(f"/recordings/{ID}/edit")
@staff_only
@inject
def editor_page(recording_id: int, repository: Repository = Provide[Container.repository],
                catalog: Catalog = Provide[Container.catalog],
                settings: CaptionSettings = Provide[Container.caption_settings],
                library: MediaLibrary = Provide[Container.library],
                playback: Playback = Provide[Container.playback],
                vocabulary: list[str] = Provide[Container.config.whisper.vocabulary]) -> Any:
    """The editor: video, lines, passages to check, find and replace, save, history, report."""
    # The caption package is the pages app's to load late (tests/unit/test_imports.py).
    from archivist.domain.captions.compliance import LOW_PROBABILITY

    found = deadline.gather({
        "recording": ("database", lambda: repository.recording(recording_id)),
        "report": ("library", lambda: caption_report(library, repository.recording(recording_id))),
        # Whether the browser can play it, as the transcript page asks (and asks for a copy):
        # a player that cannot would fail with no word to staff.
        "playable": ("library", lambda: playback.playable(recording_id, ask=True))})
    recording = found["recording"].value
    if found["recording"].ok and recording is None:
        abort(404)
    city = recording.city if recording else ""
    words = list(vocabulary or [])
    if city:
        try:
            words += list(catalog.city(city).vocabulary)
        except NotFound:   # a city no longer configured: its recordings are still editable
            pass
    rules = settings.broadcast
    profile = {"max_chars": rules.max_chars, "max_lines": rules.max_lines,
               "max_cps": rules.max_cps, "web_max_cps": settings.web.max_cps}
    setup = {"recording": recording_id, "city": city, "profile": profile,
             "vocabulary": sorted(set(words)), "low_probability": LOW_PROBABILITY}
    return render_template("editor.html", recording=recording, recording_id=recording_id,
                           setup=setup, report=found["report"].value,
                           playable=found["playable"].value,
                           unplayable=unplayable_reason(found["playable"].problem),
                           problem=found["recording"].problem)


@blueprint.get(f"/recordings/{ID}/edit/report")
@staff_only
@inject
def editor_report(recording_id: int, repository: Repository = Provide[Container.repository],
                  library: MediaLibrary = Provide[Container.library]) -> Any:
    """The caption report alone, as the editor shows it beside the lines after a save."""
    found = deadline.one("library",
                         lambda: caption_report(library, repository.recording(recording_id)))
    return render_template("_report.html", report=found.value, recording_id=recording_id)
