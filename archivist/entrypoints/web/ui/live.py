"""/live/<city>: the live transcript as it is sent (server-sent events), a growing WebVTT and
the same captions as an HLS subtitle playlist.

The session writes its events to a file in the data dir (adapters/live/files.py); these views
read it. An event stream answers for at most a few seconds and then ends, saying where it got
to (the event id); the browser's EventSource asks again from there. So no viewer holds one of
the server's threads for long, and a page left open survives a restart of either side.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from dependency_injector.wiring import Provide, inject
from flask import Response, abort, render_template, request

from archivist.containers import Container
from archivist.entrypoints.live_report import city_named, reports, session_report
from archivist.entrypoints.web import deadline, public
from archivist.entrypoints.web.ui.blueprint import blueprint
from archivist.entrypoints.web.ui.format import utc_offset

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from archivist.adapters.live.files import LiveFolder
    from archivist.adapters.sql.live import SqlLiveSessions

# How long one event stream answers before the browser asks again, and how often it looks.
STREAM_SECONDS = 3.0
_LOOK_EVERY = 0.25


@blueprint.get("/live")
@inject
def live_index(cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
               folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> str:
    """Every city's live session."""
    return render_template("live.html", city=None, sessions=reports(cities, folder))


@blueprint.get("/live/<city>")
@inject
def live_page(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
              folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider],
              kept: SqlLiveSessions = Provide[Container.live_sessions]) -> str:
    """One city's live transcript, kept current by its event stream, and its earlier sessions
    (each linking to the recording it became, whose captions replace it once captioned)."""
    found = city_named(cities, city)
    name = str(found["name"])
    here = folder(city=name)
    session = here.session_path()
    status = public.live_session(session_report(here))
    earlier = deadline.one("database", lambda: kept.sessions(name))
    recording = next((each["recording_id"] for each in earlier.value or []
                      if session is not None and each["name"] == session.name
                      and each["replaced"] and not status["running"]), None)
    # Without a source nothing can start it from here (`live start --source` on the CLI can).
    startable = bool((found.get("live") or {}).get("source"))
    # The transcript shown is the last session's when none runs, or another holds the city
    # (loading, before it begins its own): the page says so, and when that one ended.
    ended = (_last_written(session) if session is not None
             and not (status["running"] and status.get("session") == session.name) else None)
    return render_template("live.html", city=name, status=status, startable=startable,
                           session=session.name if session else None, recording=recording,
                           ended=ended, earlier=earlier.value or [], problem=earlier.problem,
                           utc_offset=utc_offset())


@blueprint.get("/live/<city>/sessions/<name>")
@inject
def live_session_page(city: str, name: str,
                      cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                      kept: SqlLiveSessions = Provide[Container.live_sessions]) -> str:
    """A live session's transcript as kept in the database (what search finds), with the
    recording it became once that landed."""
    found = city_named(cities, city)
    town = str(found["name"])
    listed = deadline.gather({"sessions": ("database", lambda: kept.sessions(town, limit=500)),
                              "passages": ("database", lambda: kept.transcript(town, name))})
    this = next((each for each in listed["sessions"].value or [] if each["name"] == name), None)
    if this is None and listed["sessions"].problem is None:
        abort(404, f"{town} has no live session {name!r}")
    at = request.args.get("t", type=float)   # a search hit's second: that passage is marked
    return render_template("live_session.html", city=town, session=this or {"name": name}, at=at,
                           passages=listed["passages"].value or [],
                           problem=listed["sessions"].problem or listed["passages"].problem)


@blueprint.get("/live/<city>/events")
@inject
def live_events(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> Response:
    """Server-sent events: began, word, row, gap, ended, and the status every answer."""
    found = city_named(cities, city)
    here = folder(city=str(found["name"]))
    name, offset = _resume(request.headers.get("Last-Event-ID") or request.args.get("from", ""))
    # Asked now: the stream is read after the view returns, without the request to ask of.
    shown = public.detail()
    return Response(_stream(here, name, offset, shown), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@blueprint.get("/live/<city>/captions.vtt")
@inject
def live_captions(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                  folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> Response:
    """The session's WebVTT so far (the latest session, or ?session=NAME), to any site: a city's
    web player is on a site of its own, and a <track> from another origin loads only when the
    answer allows it (the captions are public, and no cookie is asked for)."""
    found = city_named(cities, city)
    session = folder(city=str(found["name"])).session_path(request.args.get("session"))
    if session is None or not (session / "captions.vtt").is_file():
        abort(404, f"{found['name']} has no live captions yet")
    return Response((session / "captions.vtt").read_bytes(), mimetype="text/vtt",
                    headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"})


@blueprint.get("/live/<city>/captions.m3u8")
@inject
def live_playlist(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                  folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> Response:
    """The session's captions as an HLS subtitle playlist (WebVTT segments of 6 s), for a
    player to list beside the live stream's video (EXT-X-MEDIA TYPE=SUBTITLES), to any site."""
    session = _session_of(city, cities, folder, request.args.get("session"))
    if session is None or not (session / "captions.m3u8").is_file():
        abort(404, f"{city} has no live captions yet")
    return Response((session / "captions.m3u8").read_bytes(),
                    mimetype="application/vnd.apple.mpegurl", headers=_ANYONE_FRESH)


@blueprint.get("/live/<city>/captions/<name>/<int:segment>.vtt")
@inject
def live_segment(city: str, name: str, segment: int,
                 cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
                 folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> Response:
    """One WebVTT segment of a session's subtitle playlist: written once, so it may be kept."""
    session = _session_of(city, cities, folder, name)
    path = session / "captions" / f"{segment:05d}.vtt" if session is not None else None
    if path is None or not path.is_file():
        abort(404, f"no caption segment {segment} in {name}")
    return Response(path.read_bytes(), mimetype="text/vtt",
                    headers={"Cache-Control": "public, max-age=86400",
                             "Access-Control-Allow-Origin": "*"})


# A playlist changes every few seconds: never kept; public, as captions.vtt is.
_ANYONE_FRESH = {"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}


def _session_of(city: str, cities: list[dict[str, Any]], folder: Callable[..., LiveFolder],
                name: str | None) -> Any:
    """The city's session folder (the latest, or `name`); UnknownCity (a 404) for a city that
    is not one."""
    found = city_named(cities, city)
    return folder(city=str(found["name"])).session_path(name)


def _resume(last: str) -> tuple[str | None, int]:
    """(session, byte offset) from an event id `session:offset`."""
    name, _, offset = last.partition(":")
    return (name or None), (int(offset) if offset.isdigit() else 0)


def _last_written(session: Path) -> float | None:
    """When a session's transcript was last written: when it ended (or was killed)."""
    try:
        return (session / "transcript.jsonl").stat().st_mtime
    except OSError:
        return None


def _stream(folder: Any, name: str | None, offset: int, shown: bool) -> Iterator[str]:
    """The events from `offset` in the city's latest session, then its status; the session's
    source and why it is in trouble only for those `shown` the detail."""
    yield f"retry: {int(_LOOK_EVERY * 1000)}\n\n"
    session = folder.session_path()
    if session is None:
        yield _event("status", public.live_session(session_report(folder), shown))
        return
    if name != session.name:   # a new session began: from its start
        offset = 0
    deadline = time.monotonic() + STREAM_SECONDS
    while True:
        for reached, event in folder.events(session, offset):
            offset = reached
            if not shown:   # `began` names the source: a host, or a path on the station
                event.pop("source", None)
            yield _event(str(event.get("kind", "message")), event, f"{session.name}:{offset}")
        if time.monotonic() >= deadline:
            break
        time.sleep(_LOOK_EVERY)
    yield _event("status", public.live_session(session_report(folder), shown), f"{session.name}:{offset}")


def _event(kind: str, data: Any, ident: str | None = None) -> str:
    head = f"id: {ident}\n" if ident else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data)}\n\n"
