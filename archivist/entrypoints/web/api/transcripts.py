"""/api/v1/recordings/{id}/captions/{format}: caption files rendered from the current transcript
(the transcript itself and its revisions are in review.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint
from dependency_injector.wiring import Provide, inject
from flask import Response

from archivist.containers import Container
from archivist.domain import captions
from archivist.domain.errors import NotFound
from archivist.entrypoints.web.api.docs import PREFIX, answers

if TYPE_CHECKING:
    from archivist.domain.captions.settings import CaptionSettings
    from archivist.domain.ports import Repository

blueprint = APIBlueprint("api_transcripts", __name__, url_prefix=PREFIX, tag="Transcripts")

MEDIA_TYPES = {"scc": "text/plain", "srt": "application/x-subrip", "vtt": "text/vtt",
               "txt": "text/plain", "json": "application/json"}


@blueprint.get("/recordings/<int(max=2147483647):recording_id>/captions/<string:format>")
@blueprint.output({}, content_type="text/plain", description="The caption file")
@blueprint.doc(responses=answers(404, 503))
@inject
def caption(recording_id: int, format: str, repository: Repository = Provide[Container.repository],
            settings: CaptionSettings = Provide[Container.caption_settings]) -> Response:
    """A caption file (scc, srt, vtt, txt or json), rendered from the stored transcript."""
    if format not in captions.FORMATS:
        raise NotFound(f"no caption format {format!r}; there are {', '.join(captions.FORMATS)}")
    found = _transcript(repository, recording_id)
    recording = repository.recording(recording_id)
    text = captions.render(found, [format], settings)[format]
    name = (recording.path.stem if recording else f"recording-{recording_id}") + f".{format}"
    response = Response(text, content_type=f"{MEDIA_TYPES[format]}; charset=utf-8")
    response.headers["Content-Disposition"] = _attachment(name)
    return response


def _transcript(repository: Any, recording_id: int) -> Any:
    found = repository.transcript(recording_id)
    if found is None:
        raise NotFound(f"recording {recording_id} has no transcript")
    return found


def _attachment(name: str) -> str:
    from urllib.parse import quote

    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
