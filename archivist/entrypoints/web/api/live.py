"""/api/v1/live: each city's live session; staff start and stop them.

Starting one here says the city's session is wanted: the worker with --beat runs it (`archivist
live supervise`, as `archivist live start CITY` in a process of its own; the city's lease keeps
it to one) and starts it again if it dies, until it is stopped here or by `live stop`.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from apiflask import APIBlueprint, Schema, fields
from dependency_injector.wiring import Provide, inject
from flask import g

from archivist.containers import Container
from archivist.domain.errors import NotFound
from archivist.entrypoints.live_report import city_named, landed, reports, session_report
from archivist.entrypoints.web import deadline, public
from archivist.entrypoints.web.api.docs import CHANGE, PREFIX, answers

if TYPE_CHECKING:
    from collections.abc import Callable

    from archivist.adapters.live.files import LiveFolder
    from archivist.adapters.sql.live import SqlLiveSessions

blueprint = APIBlueprint("api_live", __name__, url_prefix=PREFIX, tag="Live")


class LiveSession(Schema):
    city = fields.String(required=True)
    state = fields.String(required=True, metadata={
        "description": "running (captioning), loading (its process loads the model and opens "
                       "the source: nothing captioned yet), waiting (for its source's first "
                       "sound), starting (wanted, not yet running), failing (wanted, its last "
                       "start ended: see problem), stopped or never run"})
    problem = fields.String(metadata={
        "description": "failing: why the last start ended (the one-line error, or the signal); "
                       "starting: that no worker with --beat has taken it up. For staff and "
                       "API tokens (or everyone, with web.health_detail on)"})
    retry_at = fields.Float(allow_none=True, metadata={
        "description": "failing: when it is tried again (Unix time)"})
    running = fields.Boolean(required=True, metadata={
        "description": "A process holds the session (loading, waiting or running)"})
    pid = fields.Integer(allow_none=True, metadata={"description": "The process running it"})
    wanted = fields.Boolean(metadata={
        "description": "Started from the web or the API: the worker with --beat keeps it running"})
    session = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={
        "description": "What the session reads (null but for staff and API tokens, or everyone "
                       "with web.health_detail on)"})
    source_up = fields.Boolean(allow_none=True, metadata={
        "description": "true: the source sends sound; false while running: waiting for its "
                       "first sound (see waiting) or gone quiet after it (no captions can come "
                       "until it is back); null: not running"})
    source_quiet_since = fields.Float(allow_none=True, metadata={
        "description": "While the source is down after its first sound: when its last sound "
                       "came (Unix time); otherwise null"})
    waiting = fields.Boolean(metadata={
        "description": "No sound has come yet: waiting for the source (not a gap); only while "
                       "running"})
    source_problem = fields.String(allow_none=True, metadata={
        "description": "While the source sends nothing: what ffmpeg last said of it (for "
                       "staff and API tokens, or everyone with web.health_detail on)"})
    encoder_up = fields.Boolean(allow_none=True, metadata={
        "description": "null: no encoder, or not running"})
    encoder_problem = fields.String(allow_none=True, metadata={
        "description": "While the encoder is down: why the last connection failed, or that "
                       "it stalled (connected, taking no captions); for staff and API "
                       "tokens, or everyone with web.health_detail on"})
    words_sent = fields.Integer()
    gaps = fields.Integer()
    latency_p50 = fields.Float(allow_none=True, metadata={
        "description": "Seconds from a word's sound arriving to its leaving, the median of the "
                       "last 200 words; null or absent while no word has been sent (a session "
                       "that has sent none yet, or none at all); an ended session's stands"})
    latency_p95 = fields.Float(allow_none=True, metadata={
        "description": "As latency_p50, the 95th percentile"})
    stream_seconds = fields.Float()
    recording_id = fields.Integer(allow_none=True, metadata={
        "description": "The captioned recording this session became, once it has landed"})


class LiveSessions(Schema):
    sessions = fields.List(fields.Nested(LiveSession))


@blueprint.get("/live")
@blueprint.output(LiveSessions)
@inject
def sessions(cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
             folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider],
             kept: SqlLiveSessions = Provide[Container.live_sessions]) -> dict[str, Any]:
    """Every city with live captions: running or not, words sent, latency, source and encoder,
    and for a session that ended, the captioned recording it became once that has landed. Why
    a session fails or waits, what its source and encoder said, and the source itself are for
    staff and API tokens (or everyone, with `web.health_detail` on)."""
    found = [public.live_session(each) for each in reports(cities, folder)]
    for each in found:
        if not each["running"] and each.get("session"):
            city, session = str(each["city"]), str(each["session"])
            each["recording_id"] = deadline.one(
                "database", functools.partial(landed, kept, city, session)).value
    return {"sessions": found}


@blueprint.post("/live/<city>/start")
@blueprint.output(LiveSession, status_code=202, description="Starting (or already running)")
@blueprint.doc(security=CHANGE, responses=answers(401, 403, 404, 429))
@inject
def start(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
          folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> dict[str, Any]:
    """Start the city's live session from its configured source (a second start is the same
    session)."""
    found = city_named(cities, city)
    if not (found.get("live") or {}).get("source"):
        raise NotFound(f"{found['name']} has no live source (library.cities[].live.source)")
    here = folder(city=str(found["name"]))
    here.want(str(found["live"]["source"]), by=str(g.get("actor") or ""))
    return session_report(here)


@blueprint.post("/live/<city>/stop")
@blueprint.output(LiveSession, status_code=202, description="Asked to stop")
@blueprint.doc(security=CHANGE, responses=answers(401, 403, 404, 429))
@inject
def stop(city: str, cities: list[dict[str, Any]] = Provide[Container.config.library.cities],
         folder: Callable[..., LiveFolder] = Provide[Container.live_folder.provider]) -> dict[str, Any]:
    """Ask the city's live session to stop; it ends within seconds."""
    found = city_named(cities, city)
    here = folder(city=str(found["name"]))
    here.unwant()
    if here.holder() is not None:
        here.request_stop()
    return session_report(here)
