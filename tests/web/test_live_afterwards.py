"""Afterwards: a live session's words are found by search while it runs, on the live session's
own page; once the meeting's recording lands and is captioned, search finds the recording
instead, and the live page links to it. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import time
from typing import Any

from archivist.domain.live.kept import LiveKeeper
from archivist.domain.live.recording import link_landed
from archivist.domain.models import JobState, Word
from tests.fakes import spoken


def live_session(api, text: str) -> tuple[str, Any, LiveKeeper]:
    """A live session as `live start` runs it: its words written as sent, and kept."""
    container = api.app.container
    folder = container.live_folder(city="Riverton")
    assert folder.claim()
    folder.began("udp://127.0.0.1:5999")
    said = [Word(1.0 + 0.4 * i, 1.35 + 0.4 * i, w) for i, w in enumerate(text.split())]
    folder.sent([(w, time.time(), 1.1) for w in said])
    folder.status({"city": "Riverton", "state": "running", "words_sent": len(said)})
    keeper = LiveKeeper("Riverton", folder, container.live_sessions())
    assert keeper.keep(folder.current)
    return folder.current, folder, keeper


def search(api, q: str) -> list[dict]:
    answer = api.client.get("/api/v1/search", query_string={"q": q})
    assert answer.status_code == 200, answer.text
    return answer.get_json()["results"]


def test_live_words_are_searchable_at_once_then_replaced_by_the_captioned_recording(api):
    name, folder, keeper = live_session(api, "Good evening. The water main on Elm Street is approved.")
    found = search(api, '"water main"')
    assert [(h["recording_id"], h["live_session"], h["city"]) for h in found] == [
        (None, name, "Riverton")]
    assert abs(found[0]["start"] - 2.2) < 0.05   # the second "water" was said in the session
    page = api.client.get("/search", query_string={"q": "water main"})
    assert f"Live session {name}" in page.text
    assert f"/live/Riverton/sessions/{name}?t=2.2#at" in page.text
    transcript = api.client.get(f"/live/Riverton/sessions/{name}?t=2.2")
    assert transcript.status_code == 200
    assert 'id="at" class="at"><time>0:01</time> Good evening. The water main' in transcript.text
    folder.ended()
    folder.release()
    assert keeper.keep(name)

    # The recording lands: written while the session ran (its mtime), then captioned.
    path = api.recording("council.mp4")
    os.utime(path, (time.time(), time.time()))
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    repo = api.repo
    names = api.app.container.meeting_names()
    assert link_landed(api.app.container.live_sessions(),
                       lambda city, p: names.read(city, p).date) == 1
    assert [h["live_session"] for h in search(api, '"water main"')] == [name]   # not captioned yet
    claimed = repo.claim(job_id, "test:1", stale_before=repo.job(job_id).created_at)
    repo.succeed(job_id, claimed.attempts, spoken(
        (2.0, "Good evening."), (3.0, "The water main on Elm Street is approved.")), [], [])

    found = search(api, '"water main"')
    assert [(h["recording_id"], h["live_session"]) for h in found] == [(claimed.recording_id, None)]
    page = api.client.get("/search", query_string={"q": "water main"})
    assert "Live session" not in page.text
    live = api.client.get("/live/Riverton")
    assert f"/recordings/{claimed.recording_id}/transcript" in live.text
    assert "replace these live ones" in api.client.get(f"/live/Riverton/sessions/{name}").text
    listed = api.client.get("/api/v1/live").get_json()["sessions"]
    assert [s["recording_id"] for s in listed] == [claimed.recording_id]


def test_the_kept_transcript_box_is_reached_from_the_keyboard(api):
    # It scrolls in a box of its own (70vh) and its lines are text, not buttons: axe-core's
    # scrollable-region-focusable (serious) until the box itself takes the focus.
    name, folder, _keeper = live_session(api, "Good evening. " * 200)
    page = api.client.get(f"/live/Riverton/sessions/{name}").text
    assert '<ol class="transcript live-kept" tabindex="0" aria-label="Live transcript">' in page
    folder.ended()
    folder.release()


def test_a_session_of_another_time_is_not_replaced_by_a_recording(api):
    name, _, _ = live_session(api, "The library budget is adopted.")
    path = api.recording("old.mp4")
    os.utime(path, (time.time() - 3 * 86400, time.time() - 3 * 86400))   # days before
    api.post("/api/v1/jobs", {"path": str(path)})
    names = api.app.container.meeting_names()
    assert link_landed(api.app.container.live_sessions(),
                       lambda city, p: names.read(city, p).date) == 0
    assert [h["live_session"] for h in search(api, "library budget")] == [name]


def test_a_file_that_failed_as_not_media_is_not_the_session_recording(api):
    """A zero-byte or not-media file dropped on the mount while the session ran became every
    session's recording ("its recording has landed, not captioned yet", for good), and the
    meeting's real recording, landing later, was linked to none."""
    name, folder, keeper = live_session(api, "The library budget is adopted.")
    folder.ended()
    folder.release()
    assert keeper.keep(name)
    junk = api.recording("empty.mp4")
    os.utime(junk, (time.time(), time.time()))
    junk_job = api.post("/api/v1/jobs", {"path": str(junk)}).get_json()["id"]
    api.repo.transition(junk_job, [JobState.QUEUED], JobState.FAILED,
                        error="empty.mp4: empty file (0 bytes)")
    names = api.app.container.meeting_names()
    assert link_landed(api.app.container.live_sessions(),
                       lambda city, p: names.read(city, p).date) == 0
    path = api.recording("council.mp4")
    os.utime(path, (time.time(), time.time()))
    job_id = api.post("/api/v1/jobs", {"path": str(path)}).get_json()["id"]
    assert link_landed(api.app.container.live_sessions(),
                       lambda city, p: names.read(city, p).date) == 1
    listed = api.client.get("/api/v1/live").get_json()["sessions"]
    assert [s["session"] for s in listed] == [name]
    assert api.repo.job(job_id).recording_id == api.app.container.live_sessions().sessions(
        "Riverton")[0]["recording_id"]
